import type fc from 'fast-check';
import { adminCall, platformCatalog } from '../../../support/platform.ts';
import { settle, type AgentModel, type RealAgent } from './model.ts';

// What users do: rate a skill in the local marketplace (the outbox), and publishers change the
// platform's catalog through its admin API (each change is broadcast on the WebSocket).

type Command = fc.AsyncCommand<AgentModel, RealAgent>;

/** The n-th of a sorted list (modulo its length), or undefined when it is empty. */
const pick = <T>(items: T[], n: number): T | undefined => (items.length === 0 ? undefined : items[n % items.length]);

export class RateSkillCommand implements Command {
  readonly skill: number;
  readonly user: number;
  readonly rating: number;

  constructor(skill: number, user: number, rating: number) {
    this.skill = skill;
    this.user = user;
    this.rating = rating;
  }
  check = () => true;
  async run(model: AgentModel, real: RealAgent): Promise<void> {
    const cached = (real.world.agent.store.db.prepare('SELECT skill_id FROM skill_cache ORDER BY skill_id').all() as { skill_id: string }[]).map((r) => r.skill_id);
    const skillId = pick(cached, this.skill);
    const userId = pick(real.users, this.user)!;
    if (skillId) {
      real.world.agent.rateSkill({ skillId, userId, rating: this.rating });
      model.ratings.set(`${skillId} ${userId}`, { skillId, userId, rating: this.rating });
    }
    await settle(real);
  }
  toString = () => `rate(skill #${this.skill}, user #${this.user}, ${this.rating})`;
}

export class PublishSkillCommand implements Command {
  check = () => true;
  async run(_model: AgentModel, real: RealAgent): Promise<void> {
    real.published += 1;
    await real.world.publishSkill(`fc skill ${real.published} ${real.world.clock.now()}`);
    await settle(real);
  }
  toString = () => 'publish a skill';
}

export class UpdateSkillCommand implements Command {
  readonly skill: number;

  constructor(skill: number) {
    this.skill = skill;
  }
  check = () => true;
  async run(_model: AgentModel, real: RealAgent): Promise<void> {
    const skillId = pick([...platformCatalog(real.world.platform).keys()].sort(), this.skill);
    if (skillId) {
      const res = await adminCall(real.world.platform, 'PUT', `/api/v1/skills/${skillId}`, { description: `updated at ${Date.now()}` });
      if (res.status !== 200) throw new Error(`updating ${skillId} answered ${res.status}`);
    }
    await settle(real);
  }
  toString = () => `update skill #${this.skill}`;
}

export class DeleteSkillCommand implements Command {
  readonly skill: number;

  constructor(skill: number) {
    this.skill = skill;
  }
  check = () => true;
  async run(model: AgentModel, real: RealAgent): Promise<void> {
    const ids = [...platformCatalog(real.world.platform).keys()].sort();
    // Keep a catalog to sync: the platform is shared by every run of the file.
    const skillId = ids.length > 5 ? pick(ids, this.skill) : undefined;
    if (skillId) {
      const res = await adminCall(real.world.platform, 'DELETE', `/api/v1/skills/${skillId}`);
      if (res.status !== 200) throw new Error(`deleting ${skillId} answered ${res.status}`);
      model.deleted.add(skillId);
    }
    await settle(real);
  }
  toString = () => `delete skill #${this.skill}`;
}

import type fc from 'fast-check';
import { settle, type AgentModel, type RealAgent } from './model.ts';

// Operator events, sent to the runtime actors as the admin API sends them.

type Command = fc.AsyncCommand<AgentModel, RealAgent>;

export class ReconnectCommand implements Command {
  check = () => true;
  async run(model: AgentModel, real: RealAgent): Promise<void> {
    real.world.agent.actors.connection!.send({ type: 'connection.reconnect' });
    model.wsDisabled = false;
    await settle(real);
  }
  toString = () => 'connection.reconnect';
}

export class DisableCommand implements Command {
  check = (model: Readonly<AgentModel>) => !model.wsDisabled;
  async run(model: AgentModel, real: RealAgent): Promise<void> {
    real.world.agent.actors.connection!.send({ type: 'connection.disable' });
    model.wsDisabled = true;
    await settle(real);
  }
  toString = () => 'connection.disable';
}

export class EnableCommand implements Command {
  check = (model: Readonly<AgentModel>) => model.wsDisabled;
  async run(model: AgentModel, real: RealAgent): Promise<void> {
    real.world.agent.actors.connection!.send({ type: 'connection.enable' });
    model.wsDisabled = false;
    await settle(real);
  }
  toString = () => 'connection.enable';
}

export class SyncTriggerCommand implements Command {
  check = () => true;
  async run(_model: AgentModel, real: RealAgent): Promise<void> {
    real.world.agent.actors.syncCycle!.send({ type: 'sync.trigger' });
    await settle(real);
  }
  toString = () => 'sync.trigger';
}

export class FlushRatingsCommand implements Command {
  check = () => true;
  async run(_model: AgentModel, real: RealAgent): Promise<void> {
    real.world.agent.actors.ratingSync!.send({ type: 'ratings.flush' });
    await settle(real);
  }
  toString = () => 'ratings.flush';
}

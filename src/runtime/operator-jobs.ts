import type { AgentConfig } from '../config/index.ts';

// The agent's periodic jobs as spec 002 lists them (GET /sync/jobs): one per chart that runs on a
// schedule. A job exists while its chart's schedule runs; ENABLE_SCHEDULER=false or an operator's
// `schedule.pause` removes it until `schedule.resume` or a restart.

export interface ScheduledJob {
  id: 'skill-sync-atom-saas' | 'rating-sync-atom-saas';
  name: string;
  /** Epoch ms of the next run; null while none is planned (one is running). */
  nextRunAt: number | null;
  trigger: 'interval';
  minutes: number;
}

/** What a periodic chart's context says of its schedule. */
interface Schedule<Next extends string> {
  getSnapshot(): { context: { schedulerEnabled: boolean } & Record<Next, number | null> };
}

/** The jobs now scheduled, read from the syncCycle and ratingSync actors (absent in local-only mode). */
export function scheduledJobs(
  actors: { syncCycle?: Schedule<'nextSyncAt'>; ratingSync?: Schedule<'nextFlushAt'> },
  saas: Pick<AgentConfig['saas'], 'syncIntervalMinutes' | 'ratingSyncIntervalMinutes'>,
): ScheduledJob[] {
  const jobs: ScheduledJob[] = [];
  const sync = actors.syncCycle?.getSnapshot().context;
  if (sync?.schedulerEnabled) {
    jobs.push({ id: 'skill-sync-atom-saas', name: 'Skill Sync with Atom SaaS', nextRunAt: sync.nextSyncAt, trigger: 'interval', minutes: saas.syncIntervalMinutes });
  }
  const ratings = actors.ratingSync?.getSnapshot().context;
  if (ratings?.schedulerEnabled) {
    jobs.push({ id: 'rating-sync-atom-saas', name: 'Rating Sync with Atom SaaS', nextRunAt: ratings.nextFlushAt, trigger: 'interval', minutes: saas.ratingSyncIntervalMinutes });
  }
  return jobs;
}

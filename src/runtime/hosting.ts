import type { HostOptions } from './actor-host.ts';

/** What every hosted actor of one agent shares: its store, its clock, its journal sink, its logger and the secrets kept out of the journal. */
export type Hosting = Pick<HostOptions<never>, 'store' | 'clock' | 'onTransition' | 'logger' | 'secrets'>;

// The viewer's pure page modules, imported as the browser does (plain JavaScript, no types of their
// own: the shapes below are what the tests rely on).

const ASSETS = new URL('../../../src/http/viewer/public/assets/', import.meta.url);

/** Imports one of the page's modules by file name. */
export async function pageModule<T>(file: string): Promise<T> {
  return (await import(new URL(file, ASSETS).href)) as T;
}

export interface Step {
  key: string;
  id: number | null;
  at: number;
  actor: string;
  type: string;
  event: { type: string; [field: string]: unknown };
  from: string | null;
  to: string;
  context: Record<string, unknown> | null;
  cause: string | null;
}

export interface History {
  steps: Step[];
  keys: Set<string>;
  starts: Map<string, { state: string; context: Record<string, unknown> | null }>;
}

export interface Moment {
  state: string | null;
  context: Record<string, unknown> | null;
  step: Step | null;
}

export interface HistoryModule {
  toStep(row: unknown): Step | null;
  createHistory(): History;
  addRows(history: History, rows: unknown[]): Step[];
  setStarts(history: History, actors: unknown): void;
  indexOfKey(history: History, key: string): number;
  stateAt(history: History, index: number, actorIds: string[], live?: Map<string, { state: string; context: Record<string, unknown> }>): Map<string, Moment>;
  stepsBefore(history: History, index: number, actorId: string, limit: number): Step[];
  pathsOf(state: string | null): string[];
  keepLast(history: History, limit: number): void;
}

export interface TimeFormatModule {
  isEpochMs(value: unknown): boolean;
  isTimeField(key: string, value: unknown): boolean;
  formatDateTime(ms: number): string;
  formatClock(ms: number, withMs?: boolean): string;
  formatRelative(ms: number, now: number): string;
  describeTime(ms: number, now: number): { text: string; title: string; iso: string };
  toLocalInput(ms: number | null): string;
  fromLocalInput(text: string): number | null;
  describeFields(fields: Record<string, unknown>, now: number): string;
}

export interface Link { kind: string; cause: string | null; effect: string }

export interface CausesModule {
  OPENED: string;
  SEQ_GAP: string;
  causalLinks(steps: Step[]): Link[];
  describeLink(link: Link): string;
}

export interface FilterModule {
  MAX_ROWS: number;
  NOT_INTERNAL: string;
  visibleSteps(steps: Step[], filter: { hidden: Set<string>; type: string; from: number | null; to: number | null }, max?: number): { rows: Step[]; matched: number };
  eventTypes(steps: Step[]): string[];
}

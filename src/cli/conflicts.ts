import type { Command } from './command.ts';
import { age, cell, runAdmin, table, type AdminContext } from './admin-client.ts';
import { usageError } from './usage.ts';

const STRATEGIES = ['remote_wins', 'local_wins', 'merge'] as const;
const TYPES = ['content', 'version', 'delete'] as const;
/** Widest a diff cell gets in `conflicts show` before it is cut with an ellipsis. */
const DIFF_CELL = 32;

const USAGE = [
  'usage: atom-sync conflicts list [--resolved | --unresolved] [--type T] [--limit N] [--json]',
  '       atom-sync conflicts show <id> [--json]',
  '       atom-sync conflicts resolve <id> --strategy remote_wins|local_wins|merge [--json]',
  '       atom-sync conflicts resolve --all --strategy S [--type T] [--json]',
  '',
  'The running agent\'s sync conflicts (admin API, /api/admin/sync/conflicts), newest first.',
  '  list      id, skill, type, state, strategy and detection time; --limit 1-100 (default 20);',
  '            --type content|version|delete',
  '  show      one conflict and the fields on which base, local and remote disagree (long values cut)',
  '  resolve   resolve one conflict through the agent\'s conflicts actor; with --all, every unresolved',
  '            one (of --type T); exit 1 if refused (e.g. already resolved)',
  '  --json    print the agent\'s answer',
].join('\n');

const OPTIONS = {
  json: { type: 'boolean' },
  resolved: { type: 'boolean' },
  unresolved: { type: 'boolean' },
  type: { type: 'string' },
  limit: { type: 'string' },
  strategy: { type: 'string' },
  all: { type: 'boolean' },
} as const;

/** `atom-sync conflicts list|show|resolve`: the conflict queue through the admin API. */
export const conflictsCommand: Command = {
  summary: 'list, show and resolve the running agent\'s sync conflicts (admin API)',
  usage: USAGE,
  options: OPTIONS,
  // A sub-command and a conflict id; conflictId() names any extra word.
  maxPositionals: 3,
  examples: [
    'atom-sync conflicts list --unresolved',
    'atom-sync conflicts show 12',
    'atom-sync conflicts resolve 12 --strategy local_wins',
    'atom-sync conflicts resolve --all --strategy remote_wins --type version',
  ],
  async run(parsed) {
    const { values, positionals } = parsed;
    const [sub, ...rest] = positionals;
    const bad = (problem: string) => usageError('conflicts', USAGE, problem);
    const type = values.type as string | undefined;
    if (type !== undefined && !(TYPES as readonly string[]).includes(type)) return bad(`--type must be one of ${TYPES.join(', ')}`);
    const onlyFor = (allowed: readonly string[]) => {
      const misplaced = Object.keys(values).filter((k) => k !== 'json' && values[k] !== undefined && !allowed.includes(k));
      return misplaced.length > 0 ? `--${misplaced.join(', --')} not allowed with conflicts ${sub}` : undefined;
    };
    const json = values.json === true;

    switch (sub) {
      case 'list': {
        const problem = onlyFor(['resolved', 'unresolved', 'type', 'limit']);
        if (problem) return bad(problem);
        if (rest.length > 0) return bad(`unexpected ${rest.join(' ')}`);
        if (values.resolved && values.unresolved) return bad('--resolved and --unresolved exclude each other');
        const limit = values.limit as string | undefined;
        if (limit !== undefined && !(/^\d+$/.test(limit) && Number(limit) >= 1 && Number(limit) <= 100)) return bad('--limit must be an integer from 1 to 100');
        const query = new URLSearchParams();
        if (values.resolved) query.set('resolved', 'true');
        if (values.unresolved) query.set('resolved', 'false');
        if (type) query.set('type', type);
        if (limit) query.set('limit', limit);
        const qs = query.toString();
        return runAdmin('conflicts', (ctx) => list(ctx, `/api/admin/sync/conflicts${qs ? `?${qs}` : ''}`, json));
      }
      case 'show': {
        const problem = onlyFor([]);
        if (problem) return bad(problem);
        const id = conflictId(rest);
        if (typeof id === 'string') return bad(id);
        return runAdmin('conflicts', (ctx) => show(ctx, id, json));
      }
      case 'resolve': {
        const problem = onlyFor(['strategy', 'all', 'type']);
        if (problem) return bad(problem);
        const strategy = values.strategy as string | undefined;
        if (strategy === undefined || !(STRATEGIES as readonly string[]).includes(strategy)) return bad(`--strategy must be one of ${STRATEGIES.join(', ')}`);
        if (values.all) {
          if (rest.length > 0) return bad('--all takes no conflict id');
          return runAdmin('conflicts', (ctx) => resolveAll(ctx, strategy, type, json));
        }
        if (type !== undefined) return bad('--type goes with --all');
        const id = conflictId(rest);
        if (typeof id === 'string') return bad(id);
        return runAdmin('conflicts', (ctx) => resolveOne(ctx, id, strategy, json));
      }
      case undefined:
        return bad('which sub-command? (list, show, resolve)');
      default:
        return bad(`unknown sub-command '${sub}' (list, show, resolve)`);
    }
  },
};

function conflictId(rest: readonly string[]): number | string {
  if (rest.length === 0) return 'which conflict? (its id, from `atom-sync conflicts list`)';
  if (rest.length > 1) return `unexpected ${rest.slice(1).join(' ')}`;
  const id = rest[0]!;
  return /^\d+$/.test(id) && Number(id) >= 1 && Number.isSafeInteger(Number(id)) ? Number(id) : `conflict id must be a positive integer, got '${cell(id, 40)}'`;
}

interface Summary {
  id: number; skill_id: string; conflict_type: string; state: string; resolved: boolean;
  strategy: string | null; resolved_by: string | null; detected_at: string; resolved_at: string | null;
}

async function list({ client, out, json }: AdminContext, path: string, asJson: boolean): Promise<number> {
  const { body } = await client.get<{ items: Summary[]; total: number; limit: number; offset: number }>(path);
  if (asJson) {
    json(body);
    return 0;
  }
  if (body.items.length === 0) {
    out('no conflicts');
    return 0;
  }
  out(table(
    ['ID', 'SKILL', 'TYPE', 'STATE', 'STRATEGY', 'DETECTED'],
    body.items.map((c) => [String(c.id), cell(c.skill_id, 40), c.conflict_type, c.state, c.strategy ?? '-', c.detected_at]),
  ));
  out(`${body.items.length} of ${body.total} shown`);
  return 0;
}

async function show({ client, out, json }: AdminContext, id: number, asJson: boolean): Promise<number> {
  const { body } = await client.get(`/api/admin/sync/conflicts/${id}`);
  if (asJson) {
    json(body);
    return 0;
  }
  out(describe(body));
  return 0;
}

function describe(c: Summary & { diff?: { field: string; base: unknown; local: unknown; remote: unknown }[] }): string {
  const diff = c.diff ?? [];
  return [
    `conflict ${c.id}: skill ${c.skill_id}, ${c.conflict_type}, ${c.state}`,
    `detected: ${age(c.detected_at)}`,
    c.resolved ? `resolved: ${age(c.resolved_at)} by ${c.resolved_by ?? 'unknown'} (${c.strategy ?? 'unknown strategy'})` : 'resolved: no',
    '',
    diff.length === 0
      ? 'no field differs'
      : table(['FIELD', 'BASE', 'LOCAL', 'REMOTE'], diff.map((d) => [d.field, cell(d.base, DIFF_CELL), cell(d.local, DIFF_CELL), cell(d.remote, DIFF_CELL)])),
  ].join('\n');
}

async function resolveOne({ client, out, json }: AdminContext, id: number, strategy: string, asJson: boolean): Promise<number> {
  const { body } = await client.post(`/api/admin/sync/conflicts/${id}/resolve?strategy=${strategy}`);
  if (asJson) {
    json(body);
    return 0;
  }
  out(`conflict ${id} resolved (${strategy})`);
  return 0;
}

async function resolveAll({ client, out, json }: AdminContext, strategy: string, type: string | undefined, asJson: boolean): Promise<number> {
  const { body } = await client.post('/api/admin/sync/conflicts/bulk-resolve', { strategy, conflict_type: type });
  if (asJson) {
    json(body);
    return body.refused > 0 ? 1 : 0;
  }
  out(`${body.resolved} conflict${body.resolved === 1 ? '' : 's'} resolved (${strategy})${body.refused > 0 ? `, ${body.refused} refused` : ''}`);
  return body.refused > 0 ? 1 : 0;
}

// The import rules of docs/architecture.md as data: which files a rule governs and which targets
// they may import. A target is a package name or a repository path (`src/store/index.ts`).

export interface ImportEdge {
  from: string;
  specifier: string;
  target: string;
  /** An `import()` expression: loaded on demand, not when the importing module loads. */
  dynamic: boolean;
}

export interface ImportRule {
  name: string;
  governs(file: string): boolean;
  allows(target: string): boolean;
}

const under = (...folders: string[]) => (path: string) => folders.some((folder) => path === folder || path.startsWith(`${folder}/`));
const isPackage = (target: string) => !target.startsWith('src/') && !target.startsWith('machines/') && !target.startsWith('test/');

/** Libraries of the repository that hold no agent or platform state: either side may use them. */
const SHARED = under('src/contract', 'src/fastify-typebox', 'src/logging', 'src/policy');
/** The composition roots: the commands that start a platform next to an agent. */
const COMPOSITION_ROOTS = new Set(['src/cli/platform.ts', 'src/cli/demo.ts']);

export const IMPORT_RULES: readonly ImportRule[] = [
  {
    name: 'machines/ imports only xstate and other charts',
    governs: under('machines'),
    allows: (target) => target === 'xstate' || target.startsWith('xstate/') || under('machines')(target),
  },
  {
    name: 'src/policy/ is pure: it imports only policy and the charts\' types',
    governs: under('src/policy'),
    allows: (target) => under('src/policy', 'machines')(target) || target.startsWith('node:'),
  },
  {
    name: 'src/store/ imports neither the runtime, the shells nor the platform',
    governs: under('src/store'),
    allows: (target) => !under('src/runtime', 'src/http', 'src/cli', 'src/platform')(target),
  },
  {
    name: 'the platform imports only itself, the contract and the shared libraries',
    governs: under('src/platform'),
    allows: (target) => isPackage(target) || under('src/platform')(target) || SHARED(target),
  },
  {
    name: 'the agent never imports the platform (they meet in src/contract)',
    governs: (file) => under('src', 'machines')(file) && !under('src/platform')(file) && !COMPOSITION_ROOTS.has(file),
    allows: (target) => !under('src/platform')(target),
  },
];

export function importViolations(edges: readonly ImportEdge[], rule: ImportRule): ImportEdge[] {
  return edges.filter((edge) => rule.governs(edge.from) && !rule.allows(edge.target));
}

/**
 * The files that import one another in a loop through static imports, each loop as its sorted
 * members (Tarjan's strongly connected components).
 */
export function importCycles(edges: readonly ImportEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const edge of edges) if (!edge.dynamic && !isPackage(edge.target)) next.set(edge.from, [...(next.get(edge.from) ?? []), edge.target]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const loops: string[][] = [];
  const visit = (file: string): void => {
    index.set(file, index.size);
    low.set(file, index.get(file)!);
    stack.push(file);
    onStack.add(file);
    for (const target of next.get(file) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(file, Math.min(low.get(file)!, low.get(target)!));
      } else if (onStack.has(target)) {
        low.set(file, Math.min(low.get(file)!, index.get(target)!));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const members: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      members.push(member);
    } while (member !== file);
    if (members.length > 1) loops.push(members.sort());
  };
  for (const file of next.keys()) if (!index.has(file)) visit(file);
  return loops;
}

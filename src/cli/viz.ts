import { usageError as usageErrorOf } from './usage.ts';
import type { Command } from './command.ts';

/** `atom-sync viz`: the statechart diagrams generated from machines/. */
export const vizCommand: Command = {
  summary: 'draw the statecharts: print one (Mermaid or terminal art), or write/check visualizations/',
  usage: [
    'usage: atom-sync viz <machine> [--ascii]',
    '       atom-sync viz --write | --check',
    '',
    'Charts are generated from the machines exported by machines/*.ts (xstate/graph), never drawn by hand.',
    '  <machine>          print the chart as Mermaid stateDiagram-v2 text',
    '  <machine> --ascii  print it as box-drawing art for the terminal',
    '  --write            write visualizations/<machine>.mmd and .svg and the charts in docs/statecharts.md (npm run viz)',
    '  --check            exit 1 listing every generated file that differs from what the machines give',
  ].join('\n'),
  options: {
    ascii: { type: 'boolean' },
    write: { type: 'boolean' },
    check: { type: 'boolean' },
  },
  maxPositionals: 1,
  examples: [
    'atom-sync viz connection --ascii',
    'atom-sync viz syncCycle > syncCycle.mmd',
    'atom-sync viz --check',
  ],
  async run({ values, positionals }) {
    // Loaded here, not at the top: `atom-sync --help` must not pay for XState and the layout engine.
    const { loadMachines } = await import('../viz/registry.ts');
    const { chartsOf, staleFiles, writeArtifacts } = await import('../viz/artifacts.ts');
    const machines = await loadMachines();
    const flags = Object.keys(values).filter((k) => values[k] === true).map((k) => `--${k}`);
    const names = positionals;

    if (flags.includes('--write') || flags.includes('--check')) {
      if (names.length > 0 || flags.includes('--ascii')) return usageError('--write and --check take no machine');
      const charts = chartsOf(machines);
      if (flags.includes('--check')) {
        const stale = staleFiles(charts);
        if (stale.length === 0) {
          process.stdout.write(`visualizations up to date (${charts.length} charts)\n`);
          return 0;
        }
        process.stderr.write(`atom-sync viz: stale visualizations (run \`npm run viz\`):\n  ${stale.join('\n  ')}\n`);
        return 1;
      }
      const written = writeArtifacts(charts);
      process.stdout.write(written.length === 0 ? 'visualizations up to date\n' : `wrote ${written.join(', ')}\n`);
      return 0;
    }

    const known = machines.map((m) => m.id);
    const machine = machines.find((m) => m.id === names[0]);
    if (!machine) {
      const what = names[0] === undefined ? 'which machine?' : `no machine '${names[0]}'`;
      return usageError(`${what} (one of: ${known.join(', ')})`);
    }
    const { toMermaid } = await import('../viz/mermaid.ts');
    const mermaid = toMermaid(machine);
    if (flags.includes('--ascii')) {
      const { toAscii } = await import('../viz/render.ts');
      const art = toAscii(mermaid);
      process.stdout.write(`${art}\n`);
      const width = Math.max(...art.split('\n').map((line) => [...line].length));
      const columns = process.stdout.isTTY ? process.stdout.columns : Number(process.env.COLUMNS) || undefined;
      if (columns !== undefined && width > columns) {
        process.stderr.write(`atom-sync viz: warning: the chart is ${width} columns wide, the terminal ${columns}: lines wrap. `
          + `Widen the terminal, or view the SVG: visualizations/${machine.id}.svg\n`);
      }
    } else {
      process.stdout.write(mermaid);
    }
    return 0;
  },
};

function usageError(message: string): number {
  return usageErrorOf('viz', vizCommand.usage, message);
}

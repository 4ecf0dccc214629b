import { VARIABLES, describeAllowed, describeDefault, type VariableSpec } from './variables.ts';

// .env.example and the README's configuration table, both generated from VARIABLES so that
// neither can forget a variable. `node bin/run-ts.js scripts/write-config-docs.ts` rewrites both;
// tests fail when the committed files differ from what these functions render.

const REGENERATE = 'node bin/run-ts.js scripts/write-config-docs.ts';

/** The text of .env.example: every variable with its description, allowed values and default. */
export function renderEnvExample(): string {
  const header = [
    '# atom-saas-sync configuration: copy to .env and edit.',
    '# Precedence: process environment > .env > defaults. An empty value (FOO=) counts as unset.',
    '# Lines left commented out keep the default shown. Check with `atom-sync check-config`.',
    `# Generated from src/config/variables.ts by \`${REGENERATE}\`; do not edit by hand.`,
  ];
  const blocks = (VARIABLES as readonly VariableSpec[]).map((spec) => {
    const notes = [`Allowed: ${describeAllowed(spec)}.`, `Default: ${describeDefault(spec)}.`];
    if (isRequiredWhenSaas(spec)) notes.push('Required when ATOM_SAAS_ENABLED=true.');
    if (spec.saas) notes.push('Ignored when ATOM_SAAS_ENABLED=false.');
    return [`# ${spec.description}.`, `# ${notes.join(' ')}`, assignment(spec)].join('\n');
  });
  return `${header.join('\n')}\n\n${blocks.join('\n\n')}\n`;
}

/** Markdown table of every variable: name, default, allowed values, description (for README). */
export function renderConfigTable(): string {
  const rows = (VARIABLES as readonly VariableSpec[]).map((spec) => {
    const description = isRequiredWhenSaas(spec) ? `${spec.description}. Required when ATOM_SAAS_ENABLED=true` : spec.description;
    return `| \`${spec.name}\` | ${cell(describeDefault(spec))} | ${cell(describeAllowed(spec))} | ${cell(description)} |`;
  });
  return ['| Variable | Default | Allowed | Description |', '| --- | --- | --- | --- |', ...rows].join('\n') + '\n';
}

/**
 * Required variables appear uncommented and empty (empty = unset, so check-config names them until
 * they are filled in); the others are commented out with their default, so copying the file
 * changes nothing.
 */
function assignment(spec: VariableSpec): string {
  if (isRequiredWhenSaas(spec)) return `${spec.name}=`;
  return 'default' in spec && spec.default !== undefined ? `# ${spec.name}=${String(spec.default)}` : `# ${spec.name}=`;
}

function isRequiredWhenSaas(spec: VariableSpec): boolean {
  return 'requiredWhenSaas' in spec && spec.requiredWhenSaas === true;
}

/** A Markdown table cell: pipes and emphasis escaped, `<url>` kept visible (not read as HTML), one line. */
function cell(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([|*])/g, '\\$1')
    .replace(/\r?\n/g, ' ');
}

export const TABLE_START = '<!-- config-table:start -->';
export const TABLE_END = '<!-- config-table:end -->';

/** README text with the block between the config-table markers replaced by `table`. */
export function replaceConfigTable(readme: string, table: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error(`README.md lacks the ${TABLE_START} … ${TABLE_END} markers`);
  return `${readme.slice(0, start + TABLE_START.length)}\n${table}${readme.slice(end)}`;
}

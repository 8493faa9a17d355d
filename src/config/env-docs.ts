import { ENV_SPEC, EnvGroup, VarSpec } from './env.schema';
import { EXAMPLE_SECRET_VALUES } from './example-values';

/** `.env.example` and the README configuration table are rendered from ENV_SPEC, and a test
 * compares them with the committed files, so the docs cannot drift from what the code reads. */

function defaultText(spec: VarSpec): string {
  if (spec.default === undefined) return 'required';
  if (Array.isArray(spec.default)) return spec.default.length ? spec.default.join(',') : '(empty)';
  if (spec.default === '') return '(empty)';
  return String(spec.default);
}

function rangeText(spec: VarSpec): string {
  switch (spec.kind) {
    case 'int':
    case 'number':
      return `${spec.min}..${spec.max}`;
    case 'enum':
      return spec.values.join(' \\| ');
    case 'bool':
      return 'true \\| false';
    case 'url':
      return spec.protocols.map((p) => `${p}//…`).join(' \\| ');
    case 'list':
      return 'comma list';
    case 'string':
      return spec.minLength ? `>= ${spec.minLength} chars` : 'text';
  }
}

function exampleValue(name: string, spec: VarSpec): string {
  if (name in EXAMPLE_SECRET_VALUES) return EXAMPLE_SECRET_VALUES[name];
  if (spec.default === undefined) return '';
  return Array.isArray(spec.default) ? spec.default.join(',') : String(spec.default);
}

const entries = () => Object.entries(ENV_SPEC) as [string, VarSpec][];

export function renderEnvExample(): string {
  const lines = [
    '# nexcore configuration. Every variable the code reads is listed here (a test checks it).',
    '# Copy to .env for local runs; real environment variables take precedence.',
    '# In NODE_ENV=production the placeholder secrets below are refused at boot.',
  ];
  let group: EnvGroup | undefined;
  for (const [name, spec] of entries()) {
    if (spec.group !== group) {
      group = spec.group;
      lines.push('', `# ---- ${group} ----`);
    }
    const range = rangeText(spec).replace(/\\\|/g, '|');
    lines.push(`# ${spec.doc}. Default: ${defaultText(spec)}. Range: ${range}.${spec.secret ? ' Secret.' : ''}`);
    lines.push(`${name}=${exampleValue(name, spec)}`);
  }
  return lines.join('\n') + '\n';
}

export function renderEnvTable(): string {
  const rows = entries().map(
    ([name, spec]) =>
      `| \`${name}\` | ${spec.group} | ${spec.doc}${spec.secret ? ' (secret)' : ''} | ${defaultText(spec)} | ${rangeText(spec)} |`,
  );
  return ['| Variable | Group | Meaning | Default | Range |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}

export const TABLE_START = '<!-- env-table:start -->';
export const TABLE_END = '<!-- env-table:end -->';

export function replaceEnvTable(readme: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error('README.md has no env-table markers');
  return `${readme.slice(0, start + TABLE_START.length)}\n${renderEnvTable()}\n${readme.slice(end)}`;
}

import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** One row of docs/reliability.md: the suites write their own measured figures here. */
export interface ReliabilityRow {
  /** Stable id, e.g. `chaos/redis-outage`; a later run replaces the row with the same id. */
  scenario: string;
  checks: string;
  figure: string;
}

const ROOT = join(__dirname, '..', '..');
const REPORT = join(ROOT, 'docs', 'reliability.md');
/** Where a plain test run leaves its figures: tests never rewrite tracked files. */
const RUN_COPY = join(ROOT, 'test-output', 'reliability.md');
const BEGIN = '<!-- reliability:begin -->';
const END = '<!-- reliability:end -->';
const HEADER = '| scenario | what it checks | figure on the last run | run at |\n|---|---|---|---|';

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');

function parseRows(table: string): Map<string, string> {
  const rows = new Map<string, string>();
  for (const line of table.split('\n')) {
    const match = /^\| `([^`]+)` \|/.exec(line);
    if (match) rows.set(match[1], line);
  }
  return rows;
}

/**
 * Upserts rows into the generated table of the reliability report, so it always shows the figures
 * of the last run of each suite rather than numbers typed by hand. A normal run writes a copy under
 * test-output/; `RELIABILITY_REPORT=docs` (what `npm run reliability:report` sets) updates
 * docs/reliability.md itself.
 */
export function recordReliability(...entries: ReliabilityRow[]): void {
  const target = process.env.RELIABILITY_REPORT === 'docs' ? REPORT : RUN_COPY;
  if (target === RUN_COPY && !existsSync(RUN_COPY)) {
    mkdirSync(dirname(RUN_COPY), { recursive: true });
    copyFileSync(REPORT, RUN_COPY);
  }
  const text = readFileSync(target, 'utf8');
  const start = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${REPORT} lacks the ${BEGIN} / ${END} markers`);
  const rows = parseRows(text.slice(start + BEGIN.length, end));
  const runAt = new Date().toISOString().slice(0, 16).replace('T', ' ');
  for (const entry of entries) {
    rows.set(entry.scenario, `| \`${entry.scenario}\` | ${cell(entry.checks)} | ${cell(entry.figure)} | ${runAt} |`);
  }
  const body = [...rows.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, line]) => line);
  const table = [HEADER, ...body].join('\n');
  writeFileSync(target, `${text.slice(0, start + BEGIN.length)}\n${table}\n${text.slice(end)}`);
}

/**
 * npm run bench:lang — accuracy of language detectors on real paragraphs: Debian's
 * debian-handbook (the same book in en-US, fr-FR, de-DE, es-ES, it-IT, pt-BR, nl-NL HTML) and
 * developers-reference (English and French). Paragraphs are extracted with the crawler's own
 * extractor; a translated edition's paragraph that appears verbatim in the English edition is
 * untranslated and left out (its label would be wrong). Per language, up to 200 paragraphs
 * (seeded shuffle), each judged whole and cut to its first 8 words (question-sized).
 *   apt-get install -y debian-handbook developers-reference-fr
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { detect as tinyNormal } from 'tinyld';
import { extractHtml } from '../src/modules/ingestion/extract/html-extract';
import { detectLanguage, LANGUAGE_CONFIGS, stopWordVote } from '../src/modules/ingestion/extract/language';

// A subpath export: the repo's node10 module resolution has no types for it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { detect: tinyLight } = require('tinyld/light') as typeof import('tinyld');

const HANDBOOK = '/usr/share/doc/debian-handbook/html';
const DEVREF = '/usr/share/developers-reference';
const PER_LANG = Number(process.env.BENCH_LANG_SAMPLE ?? 200);
const ONLY = Object.keys(LANGUAGE_CONFIGS);

function paragraphs(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const f of readdirSync(dir).filter(
    (n) => n.endsWith('.html') && n !== 'search.html' && !n.startsWith('developers-reference'),
  )) {
    for (const s of extractHtml(readFileSync(join(dir, f), 'utf8')).sections) {
      for (const p of s.text.split(/\n{2,}/))
        if (!p.startsWith('```') && p.length >= 80 && /\p{L}{3}/u.test(p)) out.push(p.replace(/\s+/g, ' '));
    }
  }
  return out;
}

/** Deterministic shuffle (mulberry32), so runs compare. */
function sample<T>(items: T[], n: number, seed = 42): T[] {
  let a = seed;
  const rnd = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy.slice(0, n);
}

const DETECTORS: [string, (text: string) => string | null][] = [
  ['stop-word vote (before)', (t) => stopWordVote(t)],
  ['tinyld normal', (t) => tinyNormal(t) || null],
  ['tinyld normal, only configs', (t) => tinyNormal(t, { only: ONLY }) || null],
  ['tinyld light, only configs', (t) => tinyLight(t, { only: ONLY }) || null],
  ['chosen: detectLanguage', (t) => detectLanguage(t)],
];

function main(): void {
  const english = new Set([...paragraphs(join(HANDBOOK, 'en-US')), ...paragraphs(DEVREF)]);
  const corpus: Record<string, string[]> = {
    en: [...english],
    fr: [...paragraphs(join(HANDBOOK, 'fr-FR')), ...paragraphs(join(DEVREF, 'fr'))],
    de: paragraphs(join(HANDBOOK, 'de-DE')),
    es: paragraphs(join(HANDBOOK, 'es-ES')),
    it: paragraphs(join(HANDBOOK, 'it-IT')),
    pt: paragraphs(join(HANDBOOK, 'pt-BR')),
    nl: paragraphs(join(HANDBOOK, 'nl-NL')),
  };
  const rows: string[] = [];
  const totals = new Map<string, { whole: number; short: number; n: number; ms: number }>();
  for (const [lang, all] of Object.entries(corpus)) {
    const paras = sample(
      all.filter((p) => lang === 'en' || !english.has(p)),
      PER_LANG,
    );
    if (!paras.length) continue;
    const cells: string[] = [];
    for (const [name, fn] of DETECTORS) {
      const t0 = performance.now();
      let whole = 0;
      let short = 0;
      for (const p of paras) {
        if (fn(p) === lang) whole++;
        if (fn(p.split(' ').slice(0, 8).join(' ')) === lang) short++;
      }
      const ms = performance.now() - t0;
      const t = totals.get(name) ?? { whole: 0, short: 0, n: 0, ms: 0 };
      totals.set(name, { whole: t.whole + whole, short: t.short + short, n: t.n + paras.length, ms: t.ms + ms });
      cells.push(`${pct(whole, paras.length)} ${pct(short, paras.length)}`);
    }
    rows.push(`${lang} (${String(paras.length).padStart(3)})  ${cells.join('   ')}`);
  }
  process.stdout.write(`language detection accuracy — paragraph / first 8 words\n`);
  process.stdout.write(`${DETECTORS.map(([n], i) => `[${i + 1}] ${n}`).join('\n')}\n`);
  process.stdout.write(`lang (n)   ${DETECTORS.map((_, i) => `[${i + 1}]`.padEnd(11)).join('   ')}\n`);
  process.stdout.write(`${rows.join('\n')}\n`);
  const all = DETECTORS.map(([name]) => totals.get(name)!);
  process.stdout.write(`all        ${all.map((t) => `${pct(t.whole, t.n)} ${pct(t.short, t.n)}`).join('   ')}\n`);
  process.stdout.write(
    `µs/call    ${all.map((t) => `${((1000 * t.ms) / (2 * t.n)).toFixed(0).padStart(11)}`).join('   ')}\n`,
  );
}

const pct = (n: number, d: number) => `${((100 * n) / d).toFixed(0)}%`.padStart(5);

main();

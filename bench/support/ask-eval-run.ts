import { Client } from 'pg';
import type { Json } from './nexcore-server';

export interface EvalQuestion {
  question: string;
  pages: string[];
  keyword: string;
}

interface Site {
  origin: string;
  nx: { api: (path: string, body?: unknown, method?: string) => Promise<Json> };
  db: Client;
  sourceId: string;
}

const pct = (n: number, d: number) => `${((100 * n) / d).toFixed(0)}%`.padStart(5);

/**
 * Asks every question through POST /api/v1/ask and prints
 *   hit@1 / hit@5   an expected page is the first / among the citations
 *   keyword         the answer text contains the expected keyword
 *   no-answer       share of these (answerable) questions answered with no citation
 * beside a plain Postgres full-text baseline in the same run: plainto_tsquery(`baseline`) +
 * ts_rank without weights over the same chunks (keyword judged on its top chunk).
 */
export async function runAskEval(
  site: Site,
  questions: EvalQuestion[],
  title: string,
  baseline: string,
  /** Also print the share of questions whose first citation's path starts with this ("fr/"). */
  firstCitedUnder?: string,
): Promise<void> {
  const { origin, nx, db, sourceId } = site;
  const pathOf = (url: string) => url.replace(origin + '/', '');
  const score = { hit1: 0, hit5: 0, kw: 0, b1: 0, b5: 0, bkw: 0, noAnswer: 0, bNoAnswer: 0, firstUnder: 0 };
  const misses: string[] = [];
  const kwMisses: string[] = [];
  for (const q of questions) {
    const res = await nx.api('/api/v1/ask', { question: q.question, sourceIds: [sourceId], topK: 5 });
    const cited: string[] = res.citations.map((c: { url: string }) => pathOf(c.url));
    const ok = (p: string) => q.pages.includes(p);
    if (cited.length && ok(cited[0])) score.hit1++;
    if (firstCitedUnder && cited[0]?.startsWith(firstCitedUnder)) score.firstUnder++;
    if (cited.some(ok)) score.hit5++;
    else misses.push(`${q.question} → ${cited.slice(0, 3).join(', ') || '(none)'}`);
    if (res.answer.toLowerCase().includes(q.keyword.toLowerCase())) score.kw++;
    else if (process.env.BENCH_VERBOSE) kwMisses.push(`${q.question} [${q.keyword}] ∉ ${res.answer.slice(0, 400)}`);
    if (!cited.length) score.noAnswer++;
    const base = await db.query(
      `SELECT url, text FROM chunks WHERE source_id = $1 AND tsv @@ plainto_tsquery($3::regconfig, $2)
        ORDER BY ts_rank(tsv, plainto_tsquery($3::regconfig, $2)) DESC LIMIT 5`,
      [sourceId, q.question, baseline],
    );
    const bc = base.rows.map((r: { url: string }) => pathOf(r.url));
    if (bc.length && ok(bc[0])) score.b1++;
    if (bc.some(ok)) score.b5++;
    if (!bc.length) score.bNoAnswer++;
    if (base.rows[0]?.text.toLowerCase().includes(q.keyword.toLowerCase())) score.bkw++;
  }
  const n = questions.length;
  process.stdout.write(`\nask quality — ${n} questions on ${title}\n`);
  process.stdout.write(`retriever                          hit@1 hit@5 keyword no-answer\n`);
  process.stdout.write(
    `nexcore (weighted, OR + coverage)  ${pct(score.hit1, n)} ${pct(score.hit5, n)} ${pct(score.kw, n)}   ${pct(score.noAnswer, n)}\n`,
  );
  process.stdout.write(
    `baseline plainto_tsquery + ts_rank ${pct(score.b1, n)} ${pct(score.b5, n)} ${pct(score.bkw, n)}   ${pct(score.bNoAnswer, n)}\n`,
  );
  if (firstCitedUnder)
    process.stdout.write(
      `first citation under ${firstCitedUnder}: ${pct(score.firstUnder, n)} of the questions (${pct(score.firstUnder, n - score.noAnswer)} of those answered)\n`,
    );
  if (kwMisses.length) process.stdout.write(`\nkeyword misses:\n  ${kwMisses.join('\n  ')}\n`);
  if (misses.length) process.stdout.write(`\nmisses at 5:\n  ${misses.join('\n  ')}\n`);
}

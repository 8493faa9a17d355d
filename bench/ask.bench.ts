/**
 * npm run bench:ask — retrieval and end-to-end /ask latency on >= 100k chunks. Setup as
 * bench/ingest.bench.ts (python3.11-doc, a migrated DATABASE_URL, REDIS_URL, JWT_SECRET).
 * Crawls the docs (~15k chunks), then multiplies its chunks in SQL (each copy perturbed with a
 * variant lexeme, positions shifted) to BENCH_CHUNKS (default 100000), and in the same run
 * measures, for the 30 eval questions cycled BENCH_ROUNDS times (default 4, sequential):
 *   raw SQL     the candidate query alone, through pg            (the floor)
 *   retrieval   timings.retrievalMs reported by /ask              (target p95 < 50 ms)
 *   /ask e2e    client-side latency of extractive POST /api/v1/ask (target p95 < 200 ms)
 */
import { findCandidates, TERM_STATS_SQL } from '../src/modules/ingestion/index/chunk-index.repository';
import { estimateTerms, termSnapshot } from '../src/modules/ingestion/index/term-stats';
import { QUESTIONS } from './ask-questions';
import { crawledPythonDocs } from './support/python-docs';

const TARGET = Number(process.env.BENCH_CHUNKS ?? 100000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
// Same as the server's ASK_CANDIDATE_BUDGET default, so raw SQL and /ask run the same search.
const BUDGET = Number(process.env.ASK_CANDIDATE_BUDGET ?? 2000);

const pctl = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const line = (name: string, xs: number[]) =>
  `${name.padEnd(14)} p50 ${pctl(xs, 50).toFixed(1).padStart(7)} ms   p95 ${pctl(xs, 95).toFixed(1).padStart(7)} ms   (n=${xs.length})\n`;

async function main(): Promise<void> {
  const { nx, db, sourceId, close } = await crawledPythonDocs();
  try {
    const [{ n: base }] = (await db.query(`SELECT count(*)::int AS n FROM chunks WHERE source_id = $1`, [sourceId]))
      .rows;
    const copies = Math.max(0, Math.ceil(TARGET / base) - 1);
    for (let k = 1; k <= copies; k++) {
      await db.query(
        `INSERT INTO chunks (source_id, page_id, position, url, page_title, heading_path, text, start_offset, end_offset, ts_config, tsv)
         SELECT source_id, page_id, position + $2 * 100000, url, page_title, heading_path, text || ' variant' || $2, start_offset, end_offset, ts_config,
                tsv || to_tsvector('simple', 'variant' || $2)
           FROM chunks WHERE source_id = $1 AND position < 100000`,
        [sourceId, k],
      );
    }
    await db.query('ANALYZE chunks');
    const stats = termSnapshot((await db.query(TERM_STATS_SQL)).rows[0]);
    const run = async (sql: string, params: unknown[]) => (await db.query(sql, params)).rows;
    const [{ n: total }] = (await db.query(`SELECT count(*)::int AS n FROM chunks WHERE source_id = $1`, [sourceId]))
      .rows;
    const raw: number[] = [];
    const retrieval: number[] = [];
    const e2e: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      for (const q of QUESTIONS) {
        const { rows } = await db.query(`SELECT coalesce(tsvector_to_array(to_tsvector('english', $1)), '{}') AS l`, [
          q.question,
        ]);
        const terms: string[] = rows[0].l;
        let t0 = performance.now();
        await findCandidates(run, {
          sourceIds: [sourceId],
          config: 'english',
          terms,
          df: estimateTerms(stats, terms),
          limit: 60,
          budget: BUDGET,
        });
        raw.push(performance.now() - t0);
        t0 = performance.now();
        const res = await nx.api('/api/v1/ask', { question: q.question, sourceIds: [sourceId], topK: 5 });
        e2e.push(performance.now() - t0);
        retrieval.push(res.timings.retrievalMs);
      }
    }
    process.stdout.write(
      `\nask latency — ${total} chunks (${base} crawled × ${copies + 1}), ${QUESTIONS.length} questions × ${ROUNDS}\n`,
    );
    process.stdout.write(line('raw SQL', raw) + line('retrieval', retrieval) + line('/ask e2e', e2e));
    process.stdout.write(`targets: retrieval p95 < 50 ms, /ask p95 < 200 ms\n`);
    // BENCH_KEEP=1 leaves the corpus in place for iterating on the ranking SQL.
    if (process.env.BENCH_KEEP !== '1') await nx.api(`/api/v1/sources/${sourceId}`, undefined, 'DELETE');
    else process.stdout.write(`kept source ${sourceId}\n`);
  } finally {
    await close();
  }
}

main().catch((err: Error) => {
  process.stderr.write(`${err.stack ?? err.message}\n`);
  process.exit(1);
});

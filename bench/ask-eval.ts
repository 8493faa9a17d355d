/**
 * npm run bench:ask-eval — answer quality on real documentation (Debian's python3.11-doc, see
 * bench/ingest.bench.ts for setup). Crawls the docs into a fresh source through the built
 * server, asks every question in bench/ask-questions.ts through POST /api/v1/ask, and prints
 *   hit@1 / hit@5   an expected page is the first / among the citations
 *   keyword         the answer text contains the expected keyword
 * beside a naive baseline in the same run: plainto_tsquery('english') + ts_rank without weights
 * over the same chunks (keyword judged on its top chunk).
 */
import { QUESTIONS } from './ask-questions';
import { crawledPythonDocs, PYTHON_DOCS } from './support/python-docs';


const pathOf = (url: string, origin: string) => url.replace(origin + '/', '');
const pct = (n: number, d: number) => `${((100 * n) / d).toFixed(0)}%`.padStart(5);

async function main(): Promise<void> {
  const { origin, nx, db, sourceId, job, close } = await crawledPythonDocs();
  try {
    process.stdout.write(`crawled ${job.counters.indexed} pages (${job.status})\n`);
    const score = { hit1: 0, hit5: 0, kw: 0, b1: 0, b5: 0, bkw: 0, noAnswer: 0 };
    const misses: string[] = [];
    const kwMisses: string[] = [];
    for (const q of QUESTIONS) {
      const res = await nx.api('/api/v1/ask', { question: q.question, sourceIds: [sourceId], topK: 5 });
      const cited: string[] = res.citations.map((c: { url: string }) => pathOf(c.url, origin));
      const ok = (p: string) => q.pages.includes(p);
      if (cited.length && ok(cited[0])) score.hit1++;
      if (cited.some(ok)) score.hit5++;
      else misses.push(`${q.question} → ${cited.slice(0, 3).join(', ') || '(none)'}`);
      if (res.answer.toLowerCase().includes(q.keyword.toLowerCase())) score.kw++;
      else if (process.env.BENCH_VERBOSE) kwMisses.push(`${q.keyword} ∉ ${res.answer.slice(0, 300)}`);
      if (!cited.length) score.noAnswer++;
      const base = await db.query(
        `SELECT url, text FROM chunks WHERE source_id = $1 AND tsv @@ plainto_tsquery('english', $2)
          ORDER BY ts_rank(tsv, plainto_tsquery('english', $2)) DESC LIMIT 5`,
        [sourceId, q.question],
      );
      const bc = base.rows.map((r: { url: string }) => pathOf(r.url, origin));
      if (bc.length && ok(bc[0])) score.b1++;
      if (bc.some(ok)) score.b5++;
      if (base.rows[0]?.text.toLowerCase().includes(q.keyword.toLowerCase())) score.bkw++;
    }
    const n = QUESTIONS.length;
    process.stdout.write(`\nask quality — ${n} questions on ${PYTHON_DOCS}\n`);
    process.stdout.write(`retriever                          hit@1 hit@5 keyword\n`);
    process.stdout.write(`nexcore (weighted, OR + coverage)  ${pct(score.hit1, n)} ${pct(score.hit5, n)} ${pct(score.kw, n)}   (no-answer: ${score.noAnswer})\n`);
    process.stdout.write(`baseline plainto_tsquery + ts_rank ${pct(score.b1, n)} ${pct(score.b5, n)} ${pct(score.bkw, n)}\n`);
    if (kwMisses.length) process.stdout.write(`\nkeyword misses:\n  ${kwMisses.join('\n  ')}\n`);
    if (misses.length) process.stdout.write(`\nmisses at 5:\n  ${misses.join('\n  ')}\n`);
    await nx.api(`/api/v1/sources/${sourceId}`, undefined, 'DELETE');
  } finally {
    await close();
  }
}

main().catch((err: Error) => {
  process.stderr.write(`${err.stack ?? err.message}\n`);
  process.exit(1);
});

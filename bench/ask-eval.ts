/**
 * npm run bench:ask-eval — answer quality on real documentation (Debian's python3.11-doc, see
 * bench/ingest.bench.ts for setup). Crawls the docs into a fresh source through the built
 * server and runs bench/ask-questions.ts through bench/support/ask-eval-run.ts (hit@1, hit@5,
 * keyword, no-answer, beside a plainto_tsquery('english') baseline). The French evaluation is
 * bench/ask-eval-fr.ts.
 */
import { QUESTIONS } from './ask-questions';
import { runAskEval } from './support/ask-eval-run';
import { crawledPythonDocs, PYTHON_DOCS } from './support/python-docs';

async function main(): Promise<void> {
  const site = await crawledPythonDocs();
  try {
    process.stdout.write(`crawled ${site.job.counters.indexed} pages (${site.job.status})\n`);
    await runAskEval(site, QUESTIONS, PYTHON_DOCS, 'english');
    if (!site.kept) await site.nx.api(`/api/v1/sources/${site.sourceId}`, undefined, 'DELETE');
  } finally {
    await site.close();
  }
}

main().catch((err: Error) => {
  process.stderr.write(`${err.stack ?? err.message}\n`);
  process.exit(1);
});

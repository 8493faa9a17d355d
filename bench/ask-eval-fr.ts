/**
 * npm run bench:ask-eval-fr — answer quality in French: Debian's developers-reference-fr
 * (apt-get install -y developers-reference-fr) crawled through the built server, the questions
 * of bench/ask-questions-fr.ts, beside a plainto_tsquery('french') baseline in the same run.
 */
import { QUESTIONS_FR } from './ask-questions-fr';
import { runAskEval } from './support/ask-eval-run';
import { crawledDocs } from './support/python-docs';

const DEVREF_FR = process.env.BENCH_SITE_DIR_FR ?? '/usr/share/developers-reference/fr';

async function main(): Promise<void> {
  // The single-page edition repeats every chapter: left out, as the site's own links do.
  const site = await crawledDocs(DEVREF_FR, 'apt-get install -y developers-reference-fr', [
    '/_sources',
    '/_static',
    '/developers-reference.html',
    '/search.html',
  ]);
  try {
    process.stdout.write(`crawled ${site.job.counters.indexed} pages (${site.job.status})\n`);
    await runAskEval(site, QUESTIONS_FR, DEVREF_FR, 'french');
    if (!site.kept) await site.nx.api(`/api/v1/sources/${site.sourceId}`, undefined, 'DELETE');
  } finally {
    await site.close();
  }
}

main().catch((err: Error) => {
  process.stderr.write(`${err.stack ?? err.message}\n`);
  process.exit(1);
});

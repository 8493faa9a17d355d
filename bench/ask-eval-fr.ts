/**
 * npm run bench:ask-eval-fr — answer quality in French: Debian's developers-reference-fr
 * (apt-get install -y developers-reference-fr) crawled through the built server, the questions
 * of bench/ask-questions-fr.ts, beside a plainto_tsquery('french') baseline in the same run.
 * Then the mixed-language site: the English and French editions (developers-reference, a
 * dependency of the French one) as one site, the same French questions, and the share of them
 * whose first citation is a French page.
 */
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QUESTIONS_FR } from './ask-questions-fr';
import { runAskEval } from './support/ask-eval-run';
import { crawledDocs } from './support/python-docs';

const DEVREF_FR = process.env.BENCH_SITE_DIR_FR ?? '/usr/share/developers-reference/fr';
const DEVREF_EN = process.env.BENCH_SITE_DIR_EN ?? '/usr/share/developers-reference';

/** Both editions under one origin: /en/ and /fr/, and a start page linking to each. */
function bilingualSite(): string {
  const dir = join(tmpdir(), 'nexcore-bench-devref-en-fr');
  mkdirSync(dir, { recursive: true });
  for (const [name, target] of [
    ['en', DEVREF_EN],
    ['fr', DEVREF_FR],
  ])
    if (!existsSync(join(dir, name))) symlinkSync(target, join(dir, name));
  writeFileSync(
    join(dir, 'index.html'),
    `<!doctype html><html lang="en"><head><title>Developer's Reference</title></head><body><main><h1>Developer's Reference</h1><p><a href="en/index.html">English</a> · <a href="fr/index.html">Français</a></p></main></body></html>`,
  );
  return dir;
}

/** The single-page editions repeat every chapter and the search pages hold nothing: left out, as the site's own links do. */
const skipped = (prefix: string) =>
  ['/_sources', '/_static', '/developers-reference.html', '/search.html'].map((p) => `${prefix}${p}`);

async function main(): Promise<void> {
  const install = 'apt-get install -y developers-reference-fr';
  const site = await crawledDocs(DEVREF_FR, install, skipped(''));
  try {
    process.stdout.write(`crawled ${site.job.counters.indexed} pages (${site.job.status})\n`);
    await runAskEval(site, QUESTIONS_FR, DEVREF_FR, 'french');
    if (!site.kept) await site.nx.api(`/api/v1/sources/${site.sourceId}`, undefined, 'DELETE');
  } finally {
    await site.close();
  }
  if (!existsSync(join(DEVREF_EN, 'index.html'))) throw new Error(`${DEVREF_EN}/index.html not found: ${install}`);
  const mixed = await crawledDocs(bilingualSite(), install, [...skipped('/en'), ...skipped('/fr'), '/en/fr/']);
  try {
    process.stdout.write(`\nmixed site: crawled ${mixed.job.counters.indexed} pages (${mixed.job.status})\n`);
    const questions = QUESTIONS_FR.map((q) => ({ ...q, pages: q.pages.map((p) => `fr/${p}`) }));
    await runAskEval(mixed, questions, `${DEVREF_EN} (en/) + ${DEVREF_FR} (fr/)`, 'french', 'fr/');
    if (!mixed.kept) await mixed.nx.api(`/api/v1/sources/${mixed.sourceId}`, undefined, 'DELETE');
  } finally {
    await mixed.close();
  }
}

main().catch((err: Error) => {
  process.stderr.write(`${err.stack ?? err.message}\n`);
  process.exit(1);
});

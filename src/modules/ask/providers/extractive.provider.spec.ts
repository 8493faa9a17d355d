import type { Passage } from '../retrieval.service';
import { ExtractiveProvider, splitSentences } from './extractive.provider';

const passage = (text: string, terms: string[]): Passage => ({
  chunkId: 'c',
  pageId: 'p',
  url: 'u',
  title: 't',
  headingPath: [],
  text,
  snippet: '',
  highlights: [],
  score: 1,
  coverage: 1,
  terms,
});
const cfg = { answerMaxChars: 300 } as never;

describe('ExtractiveProvider', () => {
  it('keeps an API signature with the sentence that describes it', () => {
    expect(
      splitSentences('random.randint(a, b)¶\nReturn a random integer N such that a <= N <= b. Alias for randrange.'),
    ).toEqual([
      { text: 'random.randint(a, b) — Return a random integer N such that a <= N <= b.' },
      { text: 'Alias for randrange.' },
    ]);
  });

  it('keeps whole sentences only: never a heading, caption or link label alone', () => {
    const text =
      'Note\n\nThe with statement guarantees that __exit__() is called.\n\nSee also\n\nPEP 343 - The “with” statement\n\nFootnotes';
    expect(splitSentences(text).map((s) => s.text)).toEqual([
      'The with statement guarantees that __exit__() is called.',
    ]);
  });

  it('splits French sentences, accented capitals included, and drops footnote markers', () => {
    expect(
      splitSentences('Le paquet est construit [2]. À la fin, il est envoyé vers l’archive.').map((s) => s.text),
    ).toEqual(['Le paquet est construit.', 'À la fin, il est envoyé vers l’archive.']);
  });

  it('attaches a code block to the sentence introducing it and prints it as code, one marker per sentence', async () => {
    const text =
      'The following code:\n\n```\nwith EXPRESSION as TARGET:\n    SUITE\n```\n\nThe with statement wraps a block with a context manager.';
    expect(splitSentences(text)[0]).toEqual({
      text: 'The following code:',
      code: 'with EXPRESSION as TARGET:\n    SUITE',
    });
    const p = new ExtractiveProvider(cfg);
    let answer = '';
    for await (const d of p.stream({
      question: 'with statement code',
      passages: [passage(text, ['with', 'code', 'statement'])],
      signal: new AbortController().signal,
    }))
      answer += d;
    expect(answer).toBe(
      'The following code: [1]\n\n```\nwith EXPRESSION as TARGET:\n    SUITE\n```\n\nThe with statement wraps a block with a context manager. [1]',
    );
    for (const sentence of answer.replace(/```[\s\S]*?```/g, '').split(/(?<=\])\s+/))
      expect(sentence.match(/\[\d+\]/g)?.length ?? 0).toBeLessThanOrEqual(1);
  });

  it('answers with the sentences covering the question terms, each cited, within the budget', async () => {
    const p = new ExtractiveProvider(cfg);
    const passages = [
      passage(
        'Lists are mutable. Use list.reverse() to reverse the elements of a list in place. Unrelated filler sentence here.',
        ['revers', 'list'],
      ),
      passage('The sorted() builtin returns a new list. Reversing a list with slicing creates a copy.', [
        'revers',
        'list',
      ]),
    ];
    let answer = '';
    for await (const d of p.stream({ question: 'reverse a list', passages, signal: new AbortController().signal }))
      answer += d;
    expect(answer).toContain('Use list.reverse() to reverse the elements of a list in place. [1]');
    expect(answer).not.toContain('Unrelated filler');
    expect(answer.length).toBeLessThanOrEqual(300 + 20);
  });

  it('stops yielding once the request is aborted', async () => {
    const p = new ExtractiveProvider(cfg);
    const abort = new AbortController();
    abort.abort();
    const out: string[] = [];
    for await (const d of p.stream({
      question: 'q',
      passages: [passage('A list sentence about lists here.', ['list'])],
      signal: abort.signal,
    }))
      out.push(d);
    expect(out).toEqual([]);
  });
});

describe('splitSentences, introductions', () => {
  it('keeps a sentence ending with a colon together with the line it introduces', () => {
    const text =
      'Les principales listes de diffusion que les développeurs devraient suivre sont :\n\ndebian-devel-announce@lists.debian.org, pour les annonces importantes aux développeurs ;\n\nAutre phrase complète ici.';
    expect(splitSentences(text).map((s) => s.text)).toEqual([
      'Les principales listes de diffusion que les développeurs devraient suivre sont : debian-devel-announce@lists.debian.org, pour les annonces importantes aux développeurs ;',
      'Autre phrase complète ici.',
    ]);
  });
});

describe('ExtractiveProvider, section and duplicates', () => {
  it('says a sentence repeated by two passages once, and prefers the section whose heading holds the question terms', async () => {
    const p = new ExtractiveProvider({ answerMaxChars: 700 } as never);
    const dup = 'Remember to reassign the bugs of the package at the same time.';
    const passages = [
      {
        ...passage(`${dup} The package is kept in the archive.`, ['adopt', 'packag', 'orphan']),
        headingPath: ['Orphaning'],
      },
      {
        ...passage(`${dup} A list of packages needing a maintainer is kept in WNPP.`, ['adopt', 'packag', 'orphan']),
        headingPath: ['Adopting a package'],
      },
    ];
    let answer = '';
    for await (const d of p.stream({
      question: 'adopt an orphaned package',
      passages,
      signal: new AbortController().signal,
    }))
      answer += d;
    expect(answer.split(dup).length - 1).toBe(1);
    expect(answer).toContain('A list of packages needing a maintainer is kept in WNPP. [2]');
  });
});

describe('ExtractiveProvider, sentences pointing back', () => {
  it('brings the sentence before one that opens by pointing back ("This means …")', async () => {
    const p = new ExtractiveProvider({ answerMaxChars: 170 } as never);
    const terms = ['script', 'grav'];
    const passages = [
      passage('A grave script error stops the installation of the whole system.', terms),
      passage('Scripts must be idempotent. This means nothing grave happens if a script runs twice.', terms),
      passage('A script can be grave.', terms),
    ];
    let answer = '';
    for await (const d of p.stream({ question: 'script grave', passages, signal: new AbortController().signal }))
      answer += d;
    expect(answer).toContain(
      'Scripts must be idempotent. [2] This means nothing grave happens if a script runs twice. [2]',
    );
    expect(answer).not.toContain('A script can be grave.');
  });
});

import fc from 'fast-check';
import { chunkSections } from './chunker';
import { extractHtml, pageText } from './html-extract';
import { chunkLanguages, detectLanguage, resolveLanguage, textSearchConfig } from './language';

describe('extractHtml', () => {
  const html = `<!doctype html><html lang="en-GB"><head><title> Guide &amp; more </title>
    <style>.x{}</style><script>var secret = 1;</script></head><body>
    <nav><a href="/a">Nav link</a> menu words</nav>
    <div role="main"><h1>Intro</h1><p>First paragraph.</p><h2>Install</h2><p>Run it.</p>
    <script>tracking()</script><h2>Usage</h2><p>Call <code>f()</code>.</p><a href="/b" rel="nofollow">x</a><a href="c.html#frag">c</a></div>
    <footer>Copyright boilerplate</footer></body></html>`;

  it('keeps title, lang, main text split by headings, and drops scripts and chrome', () => {
    const e = extractHtml(html);
    expect(e.title).toBe('Guide & more');
    expect(e.lang).toBe('en-GB');
    expect(e.sections).toEqual([
      { headingPath: ['Intro'], text: 'First paragraph.' },
      { headingPath: ['Intro', 'Install'], text: 'Run it.' },
      { headingPath: ['Intro', 'Usage'], text: 'Call f().\nxc' },
    ]);
    const all = pageText(e.sections);
    expect(all).not.toMatch(/secret|tracking|menu|Copyright/);
  });

  it('collects links from navigation too, but not nofollow ones', () => {
    expect(extractHtml(html).links).toEqual(['/a', 'c.html#frag']);
  });

  it('reads meta robots', () => {
    expect(extractHtml('<meta name="robots" content="noindex, nofollow"><p>x</p>')).toMatchObject({
      noindex: true,
      nofollow: true,
    });
  });
});

describe('language', () => {
  it('maps lang tags to text search configurations, unknown to simple', () => {
    expect(textSearchConfig('fr-CA')).toBe('french');
    expect(textSearchConfig('DE')).toBe('german');
    expect(textSearchConfig('xx')).toBe('simple');
    expect(textSearchConfig(null)).toBe('simple');
  });

  it('detects French and English text, questions included, and refuses to guess on too little', () => {
    const fr =
      'Le chat est sur la table et le chien dort dans le jardin avec les enfants pour une heure, mais il ne veut pas partir du tout.';
    const en =
      'The cat is on the table and the dog sleeps in the garden with the children for an hour, but it does not want to leave at all.';
    expect(detectLanguage(fr)).toBe('fr');
    expect(detectLanguage(en)).toBe('en');
    expect(detectLanguage('Comment installer un paquet Debian ?')).toBe('fr');
    expect(detectLanguage('How do I reverse a list in place?')).toBe('en');
    expect(detectLanguage('hello world')).toBeNull();
    expect(resolveLanguage(null, fr).tsConfig).toBe('french');
    expect(resolveLanguage('es', en).tsConfig).toBe('spanish');
  });

  it('gives each chunk its language: section attribute, else its own detection when the page has no attribute', () => {
    const en =
      'Both tools are built on top of the same library and are thus very close, but the default behaviour of apt has been improved for interactive use.';
    const fr =
      "APT est un projet relativement vaste, qui prévoyait à l'origine une interface graphique et repose sur une bibliothèque contenant le cœur de l'application.";
    const chunks = [
      { headingPath: [], text: fr, start: 0, end: 1 },
      { headingPath: [], text: en, start: 0, end: 1 },
      { headingPath: [], text: 'apt update', start: 0, end: 1 },
      { headingPath: [], text: fr, start: 0, end: 1, lang: 'de' },
    ];
    expect(chunkLanguages(chunks, { lang: 'fr', fromAttribute: false }).map((c) => c.tsConfig)).toEqual([
      'french',
      'english',
      'french',
      'german',
    ]);
    // The author said French for the whole page: only an explicit section lang overrides it.
    expect(chunkLanguages(chunks, { lang: 'fr', fromAttribute: true }).map((c) => c.lang)).toEqual([
      'fr',
      'fr',
      'fr',
      'de',
    ]);
  });
});

describe('chunkSections', () => {
  it('never lets a chunk span two sections', () => {
    const chunks = chunkSections(
      [
        { headingPath: ['A'], text: 'alpha '.repeat(10) },
        { headingPath: ['B'], text: 'beta '.repeat(10) },
      ],
      1000,
      50,
    );
    expect(chunks.map((c) => c.headingPath)).toEqual([['A'], ['B']]);
  });

  it('keeps every chunk within size and covers all the text of a section', () => {
    const word = fc.stringMatching(/^[a-z]{1,12}$/);
    fc.assert(
      fc.property(
        fc.array(word, { minLength: 1, maxLength: 400 }),
        fc.integer({ min: 50, max: 400 }),
        fc.integer({ min: 0, max: 25 }),
        (words, size, overlap) => {
          const text = words.join(' ');
          const chunks = chunkSections([{ headingPath: [], text }], size, overlap);
          if (chunks.some((c) => c.text.length > size)) return false;
          // Every word appears in some chunk (nothing lost at a cut).
          const joined = chunks.map((c) => c.text).join(' ');
          return words.every((w) => joined.includes(w)) && chunks[chunks.length - 1].end === text.length;
        },
      ),
    );
  });

  it('repeats the overlap between consecutive chunks', () => {
    const text = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ');
    const [a, b] = chunkSections([{ headingPath: [], text }], 120, 30);
    const tail = a.text.slice(-20).split(' ').pop()!;
    expect(b.text.startsWith(tail) || b.text.includes(tail)).toBe(true);
  });
  it('starts the next chunk at a sentence start when one lies within twice the overlap', () => {
    const sentence = (i: number) => `Sentence number ${i} says something about the topic at hand.`;
    const text = Array.from({ length: 40 }, (_, i) => sentence(i)).join(' ');
    const chunks = chunkSections([{ headingPath: [], text }], 300, 40);
    expect(chunks.length).toBeGreaterThan(5);
    for (const c of chunks) expect(c.text).toMatch(/^Sentence number \d+ /);
    // Still an overlap: each chunk repeats the previous one's last sentence.
    for (let i = 1; i < chunks.length; i++) expect(chunks[i].start).toBeLessThan(chunks[i - 1].end);
  });

  it('falls back to a word boundary when no sentence starts within twice the overlap', () => {
    const text = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ');
    const [a, b] = chunkSections([{ headingPath: [], text }], 120, 30);
    expect(b.text).toMatch(/^word\d+ /);
    expect(a.end - b.start).toBeLessThanOrEqual(30);
  });
});

describe('chunkSections and code blocks', () => {
  const code = Array.from({ length: 30 }, (_, i) => `    line_${i} = compute(${i})`).join('\n');
  const text = `Intro paragraph.\n\n\`\`\`\n${code}\n\`\`\`\n\nAfter the code.`;

  it('closes and reopens a code block cut between two chunks, so each chunk marks its code', () => {
    const chunks = chunkSections([{ headingPath: ['A'], text }], 300, 0);
    expect(chunks.length).toBeGreaterThan(2);
    for (const c of chunks) expect((c.text.match(/^```$/gm) ?? []).length % 2).toBe(0);
    expect(chunks.some((c) => c.text.startsWith('```\n    line_'))).toBe(true);
    // Indentation inside code survives the cut.
    expect(chunks.map((c) => c.text).join('\n')).toContain('    line_29 = compute(29)');
  });

  it('passes a section language on to its chunks', () => {
    expect(chunkSections([{ headingPath: [], text: 'Bonjour.', lang: 'fr' }], 100, 0)[0].lang).toBe('fr');
  });
});

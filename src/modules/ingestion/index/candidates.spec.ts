import { preselection, quote } from './candidates';
import { estimateTerms, termSnapshot } from './term-stats';

describe('preselection', () => {
  const df = (o: Record<string, number>) => new Map(Object.entries(o));

  it('takes every term when their expected matches fit the budget (exact ranking)', () => {
    expect(preselection(['a', 'b', 'c'], df({ a: 10, b: 20, c: 30 }), 100)).toEqual(["'a' | 'b' | 'c'"]);
  });

  it('keeps the rarest terms that fit, whatever the question order', () => {
    expect(preselection(['common', 'rare', 'mid'], df({ common: 5000, rare: 10, mid: 80 }), 100)).toEqual([
      "'rare' | 'mid'",
    ]);
  });

  it('falls back to conjunctions from all terms down to the rarest alone when every term is common', () => {
    expect(preselection(['x', 'y', 'z'], df({ x: 300, y: 200, z: 900 }), 100)).toEqual([
      "'y' & 'x' & 'z'",
      "'y' & 'x'",
      "'y'",
    ]);
  });

  it('treats terms absent from the statistics as rare', () => {
    expect(preselection(['a', 'b'], new Map(), 100)).toEqual(["'a' | 'b'"]);
  });

  it('takes every term without statistics', () => {
    expect(preselection(['a', 'b'], null, 100)).toEqual(["'a' | 'b'"]);
  });

  it('quotes lexemes safely as tsquery input', () => {
    expect(quote("it's")).toBe("'it''s'");
    expect(quote('a\\b')).toBe("'a\\\\b'");
  });
});

describe('term statistics', () => {
  it('estimates listed lexemes from their frequency and absent ones from half the smallest', () => {
    const s = termSnapshot({ rows: 1000, elems: ['file', 'open'], freqs: [0.2, 0.05, 0.05, 0.2, 0] });
    expect(Object.fromEntries(estimateTerms(s, ['file', 'open', 'zebra'])!)).toEqual({
      file: 200,
      open: 50,
      zebra: 25,
    });
  });

  it('estimates nothing before the table is analysed (the retriever then scores every match)', () => {
    expect(estimateTerms(termSnapshot({ rows: 0, elems: null, freqs: null }), ['x'])).toBeNull();
    expect(estimateTerms(termSnapshot({ rows: 5000, elems: null, freqs: null }), ['x'])).toBeNull();
    expect(termSnapshot(undefined).known).toBe(false);
  });
});

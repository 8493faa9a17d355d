import type { Passage } from '../retrieval.service';
import { ExtractiveProvider, splitSentences } from './extractive.provider';

const passage = (text: string, terms: string[]): Passage => ({ chunkId: 'c', pageId: 'p', url: 'u', title: 't', headingPath: [], text, snippet: '', score: 1, coverage: 1, terms });
const cfg = { answerMaxChars: 300 } as never;

describe('ExtractiveProvider', () => {
  it('keeps an API signature with the sentence that describes it', () => {
    expect(splitSentences('random.randint(a, b)¶\nReturn a random integer N such that a <= N <= b. Alias for randrange.')).toEqual([
      'random.randint(a, b) — Return a random integer N such that a <= N <= b.',
      'Alias for randrange.',
    ]);
  });

  it('answers with the sentences covering the question terms, each cited, within the budget', async () => {
    const p = new ExtractiveProvider(cfg);
    const passages = [
      passage('Lists are mutable. Use list.reverse() to reverse the elements of a list in place. Unrelated filler sentence here.', ['revers', 'list']),
      passage('The sorted() builtin returns a new list. Reversing a list with slicing creates a copy.', ['revers', 'list']),
    ];
    let answer = '';
    for await (const d of p.stream({ question: 'reverse a list', passages, signal: new AbortController().signal })) answer += d;
    expect(answer).toContain('Use list.reverse() to reverse the elements of a list in place. [1]');
    expect(answer).not.toContain('Unrelated filler');
    expect(answer.length).toBeLessThanOrEqual(300 + 20);
  });

  it('stops yielding once the request is aborted', async () => {
    const p = new ExtractiveProvider(cfg);
    const abort = new AbortController();
    abort.abort();
    const out: string[] = [];
    for await (const d of p.stream({ question: 'q', passages: [passage('A list sentence about lists here.', ['list'])], signal: abort.signal })) out.push(d);
    expect(out).toEqual([]);
  });
});

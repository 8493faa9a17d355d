import { hasStem, phraseShare, termsInOrder } from './proximity';

describe('hasStem', () => {
  it('matches a word that starts with the lexeme, or with all of it but the last letter', () => {
    expect(hasStem('reversed', 'revers')).toBe(true);
    expect(hasStem('temporary', 'temporari')).toBe(true);
    expect(hasStem('envoyer', 'envoi')).toBe(true);
    expect(hasStem('temple', 'temporari')).toBe(false);
    // Short lexemes must match whole: "tim" is not "time".
    expect(hasStem('tim', 'time')).toBe(false);
  });
});

describe('termsInOrder', () => {
  it('puts the sorted lexemes back in the order of the question', () => {
    expect(termsInOrder('count hashable objects', ['count', 'hashabl', 'object'].sort().reverse())).toEqual([
      'count',
      'hashabl',
      'object',
    ]);
    // The longest lexeme a word starts with wins, and a repeated term counts once in a row.
    expect(termsInOrder('formatted string strings literals', ['format', 'liter', 'string', 'str'])).toEqual([
      'format',
      'string',
      'liter',
    ]);
  });
});

describe('phraseShare', () => {
  const ordered = ['count', 'hashabl', 'object'];

  it('is 1 when the text says the question as a phrase', () => {
    expect(phraseShare('A Counter is a dict subclass for counting hashable objects.', ordered)).toBe(1);
  });

  it('counts only the pairs that are close and in order', () => {
    expect(phraseShare('Increment the reference count for object o.', ordered)).toBe(0);
    expect(phraseShare('objects that are hashable are counted', ordered)).toBe(0);
    expect(phraseShare('hashable objects are stored with a count', ordered)).toBe(0.5);
    // At most three words apart: "creates a temporary directory" holds both pairs.
    expect(phraseShare('This class securely creates a temporary directory.', ['creat', 'temporari', 'directori'])).toBe(
      1,
    );
    expect(phraseShare('count one two three four hashable', ['count', 'hashabl'])).toBe(0);
  });

  it('is 0 for a single-term question', () => {
    expect(phraseShare('statement statement', ['statement'])).toBe(0);
  });
});

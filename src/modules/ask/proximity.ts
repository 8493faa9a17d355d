const WORD = /[\p{L}\p{N}_]+/gu;

/**
 * A word holds a stemmed lexeme when it starts with it, or — the stemmer rewrites some endings
 * ("temporary" → "temporari", "directory" → "directori") — with all of it but its last letter.
 */
export function hasStem(word: string, lexeme: string): boolean {
  return word.startsWith(lexeme) || (lexeme.length >= 5 && word.startsWith(lexeme.slice(0, -1)));
}

/**
 * The question's terms in question order: each content word mapped to the longest stemmed
 * lexeme it starts with (Postgres returns the lexemes sorted, not in the order asked).
 */
export function termsInOrder(contentText: string, terms: string[]): string[] {
  const out: string[] = [];
  for (const w of contentText.toLowerCase().match(WORD) ?? []) {
    const t = terms.filter((x) => hasStem(w, x)).sort((a, b) => b.length - a.length)[0];
    if (t && out[out.length - 1] !== t) out.push(t);
  }
  return out;
}

/**
 * Share of the question's neighbouring term pairs ("hashable objects", "temporary directory")
 * that the text holds in the same order, at most `window` words apart: a passage that says the
 * question's phrase is about it, where one holding the same words apart may not be ("reference
 * count of an object" for "count hashable objects").
 */
export function phraseShare(text: string, ordered: string[], window = 3): number {
  if (ordered.length < 2) return 0;
  const words = text.toLowerCase().match(WORD) ?? [];
  // One pass: where each term was last seen; term k at i pairs with term k - 1 seen 1..window before.
  const last = ordered.map(() => -Infinity);
  const paired = new Set<number>();
  words.forEach((w, i) => {
    ordered.forEach((t, k) => {
      if (!hasStem(w, t)) return;
      if (k > 0 && i - last[k - 1] >= 1 && i - last[k - 1] <= window) paired.add(k);
      last[k] = i;
    });
  });
  return paired.size / (ordered.length - 1);
}

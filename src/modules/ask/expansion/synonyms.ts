import { MythesThesaurus } from './mythes-thesaurus';

/**
 * Synonyms added per question word. A thesaurus lists many senses a question does not mean;
 * measured (docs/ask.md): 1 helped French and left English as it was, 2 and 3 helped French more
 * but cost English a first citation and a keyword ("test" → "run" in Python docs).
 */
export const SYNONYMS_PER_WORD = 1;

/**
 * Extra words for a question's content words (question words already removed): for each word
 * (or its singular when only that has an entry), its first synonym(s) that list it back — a
 * thesaurus entry mixes senses ("paquet": balle, colis, groupe…), and a synonym that names the
 * word in its own entry is more likely the same sense ("bug" ↔ "bogue"). Words of the question
 * itself are never returned.
 */
export function expansionWords(
  contentWords: string,
  thesaurus: MythesThesaurus,
  perWord = SYNONYMS_PER_WORD,
): string[] {
  const own = contentWords.toLowerCase().split(/\s+/).filter(Boolean);
  const out: string[] = [];
  for (const word of own) {
    const entry = [word, ...singulars(word)].find((w) => thesaurus.has(w));
    if (!entry) continue;
    let added = 0;
    for (const s of thesaurus.synonyms(entry)) {
      if (added >= perWord) break;
      if (own.includes(s) || out.includes(s)) continue;
      if (!thesaurus.synonyms(s).includes(entry)) continue;
      out.push(s);
      added++;
    }
  }
  return out;
}

/** Plural forms undone the simple way (English and French): "bugs" → "bug", "journaux" → "journal". */
function singulars(word: string): string[] {
  const out: string[] = [];
  if (/aux$/.test(word)) out.push(word.replace(/aux$/, 'al'));
  if (/[sx]$/.test(word)) out.push(word.slice(0, -1));
  if (/ies$/.test(word)) out.push(word.replace(/ies$/, 'y'));
  return out;
}

export interface CandidateSearch {
  sourceIds: string[];
  /** Text search configuration the terms were stemmed with. */
  config: string;
  terms: string[];
  /**
   * Extra lexemes (query expansion, e.g. synonyms), matched and ranked like terms but counting
   * half toward coverage, and only for terms the chunk lacks (see CANDIDATES_SQL).
   */
  expansions?: string[];
  /** Expected matching chunks per term (TermStats). */
  df: Map<string, number> | null;
  /** Candidates returned, best first. */
  limit: number;
  /** Most chunks scored. */
  budget: number;
}

/**
 * Quotes a lexeme as tsquery input. Queries are cast (`::tsquery`), never parsed with
 * to_tsquery: the lexemes are already stemmed, and parsing would turn `command-lin` into a phrase
 * that matches nothing.
 */
export const quote = (lexeme: string) => `'${lexeme.replace(/'/g, "''").replace(/\\/g, '\\\\')}'`;

/**
 * Which chunks to score, from the expected number of matches of each term (`df`; without
 * statistics, null: every chunk with any term, see `findCandidates`):
 * - every term together expected within `budget` rows: all chunks containing any term (exact);
 * - else the rarest terms whose expected matches add up to `budget`: a chunk lacking all of them
 *   holds only common terms, so it cannot have the highest coverage and is not worth scoring;
 * - else (every term alone is common) conjunctions, loosest last: all terms, then without the
 *   most common one, and so on; the retriever takes the first that finds enough chunks.
 */
export function preselection(terms: string[], df: Map<string, number> | null, budget: number): string[] {
  if (!df) return [terms.map(quote).join(' | ')];
  const byRarity = [...terms].sort((a, b) => (df.get(a) ?? 0) - (df.get(b) ?? 0));
  let total = 0;
  let k = 0;
  while (k < byRarity.length && total + (df.get(byRarity[k]) ?? 0) <= budget) total += df.get(byRarity[k++]) ?? 0;
  if (k > 0) return [byRarity.slice(0, k).map(quote).join(' | ')];
  const conjunctions: string[] = [];
  for (let j = byRarity.length; j >= 1; j--) conjunctions.push(byRarity.slice(0, j).map(quote).join(' & '));
  return conjunctions;
}

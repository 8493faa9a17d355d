export interface CandidateRow {
  id: string;
  page_id: string;
  url: string;
  page_title: string;
  heading_path: string[];
  text: string;
  snippet: string;
  score: number;
  coverage: number;
}

export type RunQuery = (sql: string, params: unknown[]) => Promise<any[]>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface CandidateSearch {
  sourceIds: string[];
  /** Text search configuration the terms were stemmed with. */
  config: string;
  terms: string[];
  /** Expected matching chunks per term (TermStats). */
  df: Map<string, number> | null;
  /** Candidates returned, best first. */
  limit: number;
  /** Most chunks scored. */
  budget: number;
}

/**
 * Candidate chunks and their score ($1 source ids, $2 configuration, $3 OR query of every quoted
 * lexeme (ranking), $4 lexemes, $5 lexeme count, $6 limit, $7 pre-selection query, $8 pre-selection
 * cap). Only the pre-selected rows are scored, so the cost follows $8, not how many chunks share
 * a common question word. `tsv || ''` detoasts each vector once and MATERIALIZED computes each
 * score once: without them Postgres re-reads the TOASTed vector for every function using it.
 */
export const CANDIDATES_SQL = `WITH q AS (SELECT $3::tsquery AS query),
              pre AS (
                SELECT id, page_id, url, page_title, heading_path, text, tsv || ''::tsvector AS tsv
                  FROM chunks
                 WHERE source_id = ANY($1) AND ts_config = $2 AND tsv @@ $7::tsquery
                 LIMIT $8),
              cand AS MATERIALIZED (
                SELECT pre.id, pre.page_id, pre.url, pre.page_title, pre.heading_path, pre.text,
                       (length(pre.tsv) - length(ts_delete(pre.tsv, $4::text[])))::float8 / $5 AS coverage,
                       ts_rank_cd('{0.1, 0.2, 0.4, 1.0}', pre.tsv, q.query, 1) AS body_rank,
                       ts_rank_cd('{0, 0, 0.4, 1.0}', pre.tsv, q.query, 1) AS title_rank
                  FROM pre, q)
         SELECT id, page_id, url, page_title, heading_path, text,
                body_rank * (0.25 + coverage * coverage) + 0.6 * title_rank * coverage AS score, coverage,
                '' AS snippet
           FROM cand ORDER BY score DESC LIMIT $6`;

/** How many chunks match a query, counting no further than $4 ($1 sources, $2 configuration, $3 query). */
export const PROBE_SQL = `SELECT count(*)::int AS n FROM (
                     SELECT 1 FROM chunks WHERE source_id = ANY($1) AND ts_config = $2 AND tsv @@ $3::tsquery LIMIT $4) x`;

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


/**
 * The retriever's SQL, runnable through any client (the service's DataSource, the benchmark's
 * pg Client): picks the first pre-selection that finds `limit` chunks (or the loosest), then
 * scores at most `budget` of them — or all of them when there are no statistics to choose by.
 */
export async function findCandidates(run: RunQuery, s: CandidateSearch): Promise<CandidateRow[]> {
  const options = preselection(s.terms, s.df, s.budget);
  let pre = options[options.length - 1];
  for (const query of options.slice(0, -1)) {
    const [{ n }] = await run(PROBE_SQL, [s.sourceIds, s.config, query, s.limit]);
    if (n >= s.limit) {
      pre = query;
      break;
    }
  }
  return run(CANDIDATES_SQL, [s.sourceIds, s.config, s.terms.map(quote).join(' | '), s.terms, s.terms.length, s.limit, pre, s.df ? s.budget : null]);
}

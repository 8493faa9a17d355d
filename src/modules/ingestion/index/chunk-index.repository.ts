import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CandidateSearch, preselection, quote } from './candidates';

/** A chunk as the index returns it for ranking, with its page. */
export interface IndexedChunkRow {
  id: string;
  page_id: string;
  url: string;
  page_title: string;
  heading_path: string[];
  text: string;
}

export interface CandidateRow extends IndexedChunkRow {
  snippet: string;
  score: number;
  coverage: number;
}

/** Lexemes of a text under one text search configuration present in the sources. */
export interface ConfigLexemesRow {
  cfg: string;
  lexemes: string[];
}

/** Postgres's own statistics of chunks.tsv (see TermStats); null until the table is analysed. */
export interface TermStatsRow {
  rows: number;
  elems: string[] | null;
  freqs: number[] | null;
}

export interface HeadlineRow {
  id: string;
  snippet: string;
}

/** Any client that runs parameterised SQL and returns its rows (a DataSource, a pg Client). */
export type RunQuery = <T>(sql: string, params: unknown[]) => Promise<T[]>;

/**
 * Candidate chunks and their score ($1 source ids, $2 configuration, $3 OR query of every quoted
 * lexeme (ranking), $4 lexemes, $5 lexeme count, $6 limit, $7 pre-selection query, $8 pre-selection
 * cap, $9 expansion lexemes). Only the pre-selected rows are scored, so the cost follows $8, not
 * how many chunks share a common question word. `tsv || ''` detoasts each vector once and MATERIALIZED computes each
 * score once: without them Postgres re-reads the TOASTed vector for every function using it.
 * Expansion lexemes (none: `{}`, and then nothing more is computed) count half a term each toward
 * coverage, and no more of them than the question's own terms the chunk lacks, so a synonym
 * never outweighs the user's word and coverage stays within 0..1.
 */
export const CANDIDATES_SQL = `WITH q AS (SELECT $3::tsquery AS query),
              pre AS (
                SELECT id, page_id, url, page_title, heading_path, text, tsv || ''::tsvector AS tsv
                  FROM chunks
                 WHERE source_id = ANY($1) AND ts_config = $2 AND tsv @@ $7::tsquery
                 LIMIT $8),
              cand AS MATERIALIZED (
                SELECT pre.id, pre.page_id, pre.url, pre.page_title, pre.heading_path, pre.text,
                       (own.n + CASE WHEN cardinality($9::text[]) = 0 THEN 0
                                    ELSE 0.5 * least(length(pre.tsv) - length(ts_delete(pre.tsv, $9::text[])), $5 - own.n) END
                       )::float8 / $5 AS coverage,
                       ts_rank_cd('{0.1, 0.2, 0.4, 1.0}', pre.tsv, q.query, 1) AS body_rank,
                       ts_rank_cd('{0, 0, 0.4, 1.0}', pre.tsv, q.query, 1) AS title_rank
                  FROM pre, q, LATERAL (SELECT length(pre.tsv) - length(ts_delete(pre.tsv, $4::text[])) AS n) own)
         SELECT id, page_id, url, page_title, heading_path, text,
                body_rank * (0.25 + coverage * coverage) + 0.6 * title_rank * coverage AS score, coverage,
                '' AS snippet
           FROM cand ORDER BY score DESC LIMIT $6`;

/** How many chunks match a query, counting no further than $4 ($1 sources, $2 configuration, $3 query). */
export const PROBE_SQL = `SELECT count(*)::int AS n FROM (
                     SELECT 1 FROM chunks WHERE source_id = ANY($1) AND ts_config = $2 AND tsv @@ $3::tsquery LIMIT $4) x`;

export const TERM_STATS_SQL = `SELECT greatest(c.reltuples, 0)::float8 AS rows, s.most_common_elems::text::text[] AS elems, s.most_common_elem_freqs AS freqs
                                 FROM pg_class c
                                 LEFT JOIN pg_stats s ON s.schemaname = current_schema() AND s.tablename = 'chunks' AND s.attname = 'tsv'
                                WHERE c.oid = 'chunks'::regclass`;

/**
 * The retriever's SQL, runnable through any client (the repository's DataSource, the benchmark's
 * pg Client): picks the first pre-selection that finds `limit` chunks (or the loosest), then
 * scores at most `budget` of them — or all of them when there are no statistics to choose by.
 */
export async function findCandidates(run: RunQuery, s: CandidateSearch): Promise<CandidateRow[]> {
  const expansions = s.expansions ?? [];
  const all = [...s.terms, ...expansions];
  const options = preselection(all, s.df, s.budget);
  let pre = options[options.length - 1];
  for (const query of options.slice(0, -1)) {
    const [{ n }] = await run<{ n: number }>(PROBE_SQL, [s.sourceIds, s.config, query, s.limit]);
    if (n >= s.limit) {
      pre = query;
      break;
    }
  }
  return run<CandidateRow>(CANDIDATES_SQL, [
    s.sourceIds,
    s.config,
    all.map(quote).join(' | '),
    s.terms,
    s.terms.length,
    s.limit,
    pre,
    s.df ? s.budget : null,
    expansions,
  ]);
}

/** Reads of the full-text index over chunks (written by PagesRepository). */
@Injectable()
export class ChunkIndexRepository {
  private readonly run: RunQuery = (sql, params) => this.ds.query(sql, params);

  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** Pages list the configurations of their chunks, so this reads pages, not chunks. */
  lexemesByConfig(sourceIds: string[], text: string): Promise<ConfigLexemesRow[]> {
    return this.ds.query(
      `SELECT cfg, coalesce(tsvector_to_array(to_tsvector(cfg::regconfig, $2)), '{}') AS lexemes
         FROM (SELECT DISTINCT unnest(chunk_configs) AS cfg FROM pages WHERE source_id = ANY($1) AND status IN ('indexed', 'unchanged')) c`,
      [sourceIds, text],
    );
  }

  candidates(search: CandidateSearch): Promise<CandidateRow[]> {
    return findCandidates(this.run, search);
  }

  async termStats(): Promise<TermStatsRow | undefined> {
    const rows: TermStatsRow[] = await this.ds.query(TERM_STATS_SQL);
    return rows[0];
  }

  /** ts_headline of each chunk for its query ($3: ts_headline options). */
  headlines(chunkIds: string[], queries: string[], options: string): Promise<HeadlineRow[]> {
    return this.ds.query(
      `SELECT c.id, ts_headline(c.ts_config::regconfig, c.text, t.q::tsquery, $3) AS snippet
         FROM chunks c JOIN unnest($1::uuid[], $2::text[]) AS t(id, q) ON t.id = c.id`,
      [chunkIds, queries, options],
    );
  }
}

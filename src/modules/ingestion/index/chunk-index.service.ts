import { Injectable } from '@nestjs/common';
import { quote } from './candidates';
import { CandidateRow, ChunkIndexRepository, ConfigLexemesRow } from './chunk-index.repository';
import { TermStats } from './term-stats';

export type { CandidateRow, ConfigLexemesRow } from './chunk-index.repository';

export interface IndexSearch {
  sourceIds: string[];
  /** Text search configuration the terms were stemmed with. */
  config: string;
  terms: string[];
  /** Extra lexemes counting less than terms (see CandidateSearch.expansions). */
  expansions?: string[];
  /** Candidates returned, best first. */
  limit: number;
  /** Most chunks scored when term statistics allow choosing which. */
  budget: number;
}

/**
 * The full-text index over the chunks ingestion writes, as the ask module reads it: lexemes of
 * a text per configuration, scored candidate chunks, and headlines. The ranking SQL and how
 * candidates are pre-selected live here, next to the tsvector they depend on.
 */
@Injectable()
export class ChunkIndexService {
  constructor(
    private readonly repo: ChunkIndexRepository,
    private readonly stats: TermStats,
  ) {}

  /** The text's lexemes under each configuration of the chosen sources' indexed pages. */
  lexemesByConfig(sourceIds: string[], text: string): Promise<ConfigLexemesRow[]> {
    return this.repo.lexemesByConfig(sourceIds, text);
  }

  /** Chunks matching any term, best first (see `findCandidates` and `preselection`). */
  async candidates(s: IndexSearch): Promise<CandidateRow[]> {
    const df = await this.stats.estimate([...s.terms, ...(s.expansions ?? [])]);
    return this.repo.candidates({ ...s, df });
  }

  /**
   * ts_headline of each chunk for its terms, by chunk id; `options` are ts_headline's options
   * (the caller decides the fragment sizes and highlight markers).
   */
  async headlines(chunks: { chunkId: string; terms: string[] }[], options: string): Promise<Map<string, string>> {
    const rows = await this.repo.headlines(
      chunks.map((c) => c.chunkId),
      chunks.map((c) => c.terms.map(quote).join(' | ')),
      options,
    );
    return new Map(rows.map((r) => [r.id, r.snippet]));
  }
}

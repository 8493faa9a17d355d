import { Injectable } from '@nestjs/common';
import { ChunkIndexRepository, TermStatsRow } from './chunk-index.repository';

const REFRESH_MS = 5 * 60 * 1000;
/** Statistics appear with the first ANALYZE (autovacuum's or a manual one): look again soon. */
const REFRESH_UNKNOWN_MS = 30 * 1000;

export interface TermSnapshot {
  at: number;
  rows: number;
  /** Share of chunks containing each frequent lexeme (ANALYZE's most common elements). */
  freq: Map<string, number>;
  /** Upper bound for a lexeme absent from `freq` (the least frequent one ANALYZE kept). */
  floor: number;
  /** False until the table has been analysed: then nothing can be estimated. */
  known: boolean;
}

/**
 * How many chunks each lexeme is expected to match, read from Postgres's own column statistics
 * (`pg_stats.most_common_elems` of chunks.tsv, kept fresh by autovacuum's ANALYZE), so retrieval
 * can tell rare question terms from common ones without counting rows per question. The
 * snapshot is global across users: it only steers how candidates are pre-selected, never what a
 * user can see. Before the table is first analysed there is nothing to estimate from: the
 * retriever then scores every match (exact, unbounded) — not an arbitrary budget-sized subset,
 * which is what treating every term as rare did (hit@5 fell from 0.93 to 0.73 on a fresh,
 * never-analysed database; autovacuum is off on these machines).
 */
@Injectable()
export class TermStats {
  private snapshot?: TermSnapshot;
  private loading?: Promise<TermSnapshot>;

  constructor(private readonly repo: ChunkIndexRepository) {}

  /** Estimated matching chunks per term, over the whole table; null without statistics. */
  async estimate(terms: string[]): Promise<Map<string, number> | null> {
    return estimateTerms(await this.current(), terms);
  }

  private async current(): Promise<TermSnapshot> {
    const s = this.snapshot;
    if (s && Date.now() - s.at < (s.known ? REFRESH_MS : REFRESH_UNKNOWN_MS)) return s;
    // One load at a time; a stale snapshot keeps serving while the next one loads.
    this.loading ??= this.load().finally(() => (this.loading = undefined));
    if (this.snapshot) {
      this.loading.catch(() => undefined);
      return this.snapshot;
    }
    return this.loading;
  }

  private async load(): Promise<TermSnapshot> {
    this.snapshot = termSnapshot(await this.repo.termStats());
    return this.snapshot;
  }
}

export function termSnapshot(row: TermStatsRow | undefined): TermSnapshot {
  const elems = row?.elems ?? [];
  const freqs = (row?.freqs ?? []).map(Number);
  // most_common_elem_freqs ends with min, max and null share; absent lexemes are rarer than min.
  const floor = elems.length ? freqs[elems.length] / 2 : 0;
  const rows = Number(row?.rows ?? 0);
  return {
    at: Date.now(),
    rows,
    freq: new Map(elems.map((e, i) => [e, freqs[i]])),
    floor,
    known: rows > 0 && elems.length > 0,
  };
}

/** Expected matching chunks per term; null when the table has no statistics yet. */
export function estimateTerms(s: TermSnapshot, terms: string[]): Map<string, number> | null {
  if (!s.known) return null;
  return new Map(terms.map((t) => [t, Math.round((s.freq.get(t) ?? s.floor) * s.rows)]));
}

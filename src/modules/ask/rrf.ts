/**
 * Reciprocal rank fusion (Cormack, Clarke & Büttcher, SIGIR 2009): each item scores
 * Σ 1 / (k + rank) over the rankings it appears in (rank from 1). It needs no comparable scores —
 * ts_rank_cd and cosine similarity are on different scales — and an item found by both rankings
 * beats one found by either alone. k≈60 keeps the first few ranks from dominating.
 * Ties keep the order in which the rankings are given (the first ranking's items first).
 */
export function reciprocalRankFusion(
  rankings: readonly (readonly string[])[],
  k = 60,
): { id: string; score: number }[] {
  const scores = new Map<string, number>();
  for (const ranking of rankings) {
    const seen = new Set<string>();
    ranking.forEach((id, i) => {
      // An id listed twice in one ranking counts at its best rank only.
      if (seen.has(id)) return;
      seen.add(id);
      scores.set(id, (scores.get(id) ?? 0) + 1 / (k + i + 1));
    });
  }
  return [...scores].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score);
}

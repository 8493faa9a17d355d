import { Attributes } from '../context';

/** The four seed features, each in [0, 1]. Order matters: it is the weight-vector order. */
export const FEATURES = ['usage', 'success', 'similarity', 'recency'] as const;
export type FeatureName = (typeof FEATURES)[number];
export type FeatureVector = Record<FeatureName, number>;

export interface FeatureSettings {
  /** Uses at which the usage feature reaches 1. */
  usageSaturation: number;
  recencyHalfLifeHours: number;
}

/** z for a 95 % interval. */
const Z = 1.96;

/**
 * Wilson score lower bound of the success proportion. Small samples are pulled down hard, so
 * one success out of one (0.21) ranks below 95 out of 100 (0.89); no observations gives 0.
 */
export function wilsonLowerBound(successes: number, failures: number): number {
  const n = successes + failures;
  if (n <= 0) return 0;
  const p = successes / n;
  const z2 = Z * Z;
  const centre = p + z2 / (2 * n);
  const margin = Z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return clamp01((centre - margin) / (1 + z2 / n));
}

/** log-scaled so the 1000th use adds far less than the 2nd; 1 at `saturation` uses and above. */
export function usageFeature(uses: number, saturation: number): number {
  if (uses <= 0) return 0;
  return clamp01(Math.log1p(uses) / Math.log1p(saturation));
}

/** Exponential decay: 1 when used just now, 0.5 one half-life ago; 0 when never used. */
export function recencyFeature(lastUsedAt: Date | null, now: Date, halfLifeHours: number): number {
  if (!lastUsedAt) return 0;
  const ageHours = Math.max(0, now.getTime() - lastUsedAt.getTime()) / 3_600_000;
  return clamp01(Math.pow(2, -ageHours / halfLifeHours));
}

/** Smoothing term: the global context (no attributes) is a weak, not a zero, match. */
const SIMILARITY_SMOOTHING = 0.5;

/**
 * Weighted attribute overlap between the asked context A and a row's context R, as a smoothed
 * weighted Jaccard index over name=value pairs:
 *
 *   sim(A, R) = (W(A ∩ R) + λ) / (W(A ∪ R) + λ),   W(S) = Σ_{(n,v) ∈ S} w(n),  λ = 0.5
 *
 * with w(n) from DEFAULTS_CONTEXT_WEIGHTS (default 1). Identical contexts give 1; the global
 * row gives λ / (W(A) + λ); an attribute of R that A lacks or contradicts lowers the score.
 */
export function contextSimilarity(asked: Attributes, row: Attributes, weights: Record<string, number> = {}): number {
  const w = (n: string) => weights[n] ?? 1;
  const askedSet = new Map(asked);
  let inter = 0;
  let union = 0;
  for (const [n] of asked) union += w(n);
  for (const [n, v] of row) {
    if (askedSet.get(n) === v) inter += w(n);
    else union += w(n);
  }
  return clamp01((inter + SIMILARITY_SMOOTHING) / (union + SIMILARITY_SMOOTHING));
}

export function clamp01(x: number): number {
  if (!Number.isFinite(x)) return 0;
  return x < 0 ? 0 : x > 1 ? 1 : x;
}

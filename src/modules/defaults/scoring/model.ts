import { FEATURES, FeatureName, FeatureVector } from './features';

export interface Weights {
  bias: number;
  usage: number;
  success: number;
  similarity: number;
  recency: number;
}

export interface ScoredFeatures {
  score: number;
  /** bias and w_i * x_i for each feature: the logit is their sum. */
  contributions: Record<FeatureName | 'bias', number>;
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/**
 * score = σ(b + Σ w_i x_i), in [0, 1]. Feature weights are kept >= 0 (training projects them),
 * which makes the score non-decreasing in every feature: more success or recency never ranks a
 * value lower.
 */
export function score(w: Weights, x: FeatureVector): ScoredFeatures {
  const contributions = { bias: w.bias } as ScoredFeatures['contributions'];
  let z = w.bias;
  for (const f of FEATURES) {
    const c = w[f] * x[f];
    contributions[f] = c;
    z += c;
  }
  return { score: sigmoid(z), contributions };
}

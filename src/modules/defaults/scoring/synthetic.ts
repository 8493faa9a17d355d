import { FEATURES, FeatureVector } from './features';
import { sigmoid, Weights } from './model';
import { Example } from './train';

/** mulberry32: a tiny seeded PRNG so synthetic sets are reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The known truth of the synthetic feedback set: acceptance depends on context similarity and
 * recency, not on the success rate — the opposite emphasis of the default initial weights, so
 * a learner that works must move away from them.
 */
export const SYNTHETIC_TRUTH: Weights = { bias: -4, usage: 0.5, success: 0, similarity: 4.5, recency: 3.5 };

export function syntheticFeedback(n: number, seed: number, truth: Weights = SYNTHETIC_TRUTH): Example[] {
  const rnd = seededRandom(seed);
  const out: Example[] = [];
  for (let i = 0; i < n; i++) {
    const x = {} as FeatureVector;
    for (const f of FEATURES) x[f] = rnd();
    let z = truth.bias;
    for (const f of FEATURES) z += truth[f] * x[f];
    out.push({ x, y: rnd() < sigmoid(z) ? 1 : 0 });
  }
  return out;
}

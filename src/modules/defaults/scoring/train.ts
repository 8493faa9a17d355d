import { FEATURES, FeatureVector } from './features';
import { sigmoid, Weights } from './model';

export interface Example {
  x: FeatureVector;
  /** 1 = accepted, 0 = rejected. */
  y: 0 | 1;
}

export interface Metrics {
  logLoss: number;
  auc: number;
  n: number;
}

export interface TrainOptions {
  iterations?: number;
  learningRate?: number;
  l2?: number;
}

const EPS = 1e-12;

function predict(w: Weights, x: FeatureVector): number {
  let z = w.bias;
  for (const f of FEATURES) z += w[f] * x[f];
  return sigmoid(z);
}

/**
 * Logistic regression by full-batch gradient descent with Adam steps and a small L2 penalty.
 * Feature weights are projected onto >= 0 after each step so the learned score stays monotonic
 * in each feature (see score()). Deterministic: same data, same weights.
 */
export function fitLogistic(data: Example[], start: Weights, opts: TrainOptions = {}): Weights {
  const iterations = opts.iterations ?? 600;
  const lr = opts.learningRate ?? 0.05;
  const l2 = opts.l2 ?? 1e-3;
  const names = ['bias', ...FEATURES] as const;
  const w: Weights = { ...start };
  const m: Record<string, number> = {};
  const v: Record<string, number> = {};
  for (const k of names) m[k] = v[k] = 0;
  const n = data.length || 1;
  for (let t = 1; t <= iterations; t++) {
    const g: Record<string, number> = {};
    for (const k of names) g[k] = 0;
    for (const { x, y } of data) {
      const err = predict(w, x) - y;
      g.bias += err;
      for (const f of FEATURES) g[f] += err * x[f];
    }
    for (const k of names) {
      let grad = g[k] / n;
      if (k !== 'bias') grad += l2 * w[k];
      m[k] = 0.9 * m[k] + 0.1 * grad;
      v[k] = 0.999 * v[k] + 0.001 * grad * grad;
      const mh = m[k] / (1 - Math.pow(0.9, t));
      const vh = v[k] / (1 - Math.pow(0.999, t));
      w[k] -= (lr * mh) / (Math.sqrt(vh) + 1e-8);
      if (k !== 'bias' && w[k] < 0) w[k] = 0;
    }
  }
  return w;
}

export function evaluate(w: Weights, data: Example[]): Metrics {
  if (!data.length) return { logLoss: NaN, auc: NaN, n: 0 };
  let loss = 0;
  const scored = data.map(({ x, y }) => {
    const p = Math.min(1 - EPS, Math.max(EPS, predict(w, x)));
    loss -= y * Math.log(p) + (1 - y) * Math.log(1 - p);
    return { p, y };
  });
  return { logLoss: loss / data.length, auc: auc(scored), n: data.length };
}

/** Area under the ROC curve by the rank-sum (Mann-Whitney) formula, ties counted half. */
export function auc(scored: Array<{ p: number; y: number }>): number {
  const sorted = [...scored].sort((a, b) => a.p - b.p);
  let pos = 0;
  let rankSum = 0;
  let i = 0;
  while (i < sorted.length) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1].p === sorted[i].p) j++;
    const avgRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (sorted[k].y === 1) {
        pos++;
        rankSum += avgRank;
      }
    }
    i = j + 1;
  }
  const neg = sorted.length - pos;
  if (!pos || !neg) return NaN;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** Deterministic hold-out split: every k-th example (by a stable id hash) is held out. */
export function splitHoldout<T>(items: T[], idOf: (t: T) => string, fraction = 0.2): { train: T[]; test: T[] } {
  const train: T[] = [];
  const test: T[] = [];
  for (const it of items) {
    let h = 2166136261;
    for (const c of idOf(it)) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
    ((h % 1000) / 1000 < fraction ? test : train).push(it);
  }
  return { train, test };
}

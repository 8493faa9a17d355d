import fc from 'fast-check';
import { parseContext } from '../context';
import { contextSimilarity, FEATURES, FeatureVector, recencyFeature, usageFeature, wilsonLowerBound } from './features';
import { score, Weights } from './model';
import { syntheticFeedback } from './synthetic';
import { evaluate, fitLogistic } from './train';

const unit = fc.double({ min: 0, max: 1, noNaN: true });
const weight = fc.double({ min: 0, max: 20, noNaN: true });
const weights = fc.record({
  bias: fc.double({ min: -20, max: 20, noNaN: true }),
  usage: weight,
  success: weight,
  similarity: weight,
  recency: weight,
});
const vector = fc.record({ usage: unit, success: unit, similarity: unit, recency: unit });

describe('predict score', () => {
  it('is bounded to [0, 1] for any non-negative weights and features', () => {
    fc.assert(
      fc.property(weights, vector, (w, x) => {
        const s = score(w, x).score;
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(1);
      }),
    );
  });

  it.each(['success', 'recency', 'usage', 'similarity'] as const)('never decreases when %s increases', (feature) => {
    fc.assert(
      fc.property(weights, vector, unit, (w: Weights, x: FeatureVector, bump) => {
        const higher = { ...x, [feature]: Math.min(1, x[feature] + bump) };
        expect(score(w, higher).score).toBeGreaterThanOrEqual(score(w, x).score);
      }),
    );
  });

  it('is monotonic in the raw success counts and in how recently a value was used', () => {
    fc.assert(
      fc.property(fc.nat(500), fc.nat(500), fc.nat(50), (s, f, more) => {
        expect(wilsonLowerBound(s + more, f)).toBeGreaterThanOrEqual(wilsonLowerBound(s, f) - 1e-12);
        expect(wilsonLowerBound(s, f + more)).toBeLessThanOrEqual(wilsonLowerBound(s, f) + 1e-12);
      }),
    );
    const now = new Date('2026-01-10T00:00:00Z');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 9 }), fc.integer({ min: 0, max: 10 ** 9 }), (a, b) => {
        const [newer, older] = a <= b ? [a, b] : [b, a];
        expect(recencyFeature(new Date(now.getTime() - newer), now, 24)).toBeGreaterThanOrEqual(
          recencyFeature(new Date(now.getTime() - older), now, 24),
        );
      }),
    );
  });

  it('exposes contributions that add up to the logit', () => {
    const w = { bias: -2, usage: 1, success: 2, similarity: 3, recency: 4 };
    const x = { usage: 0.5, success: 0.5, similarity: 0.5, recency: 0.5 };
    const { score: s, contributions } = score(w, x);
    const z = Object.values(contributions).reduce((a, b) => a + b, 0);
    expect(z).toBeCloseTo(3);
    expect(s).toBeCloseTo(1 / (1 + Math.exp(-3)));
  });
});

describe('features', () => {
  it('smooths the success rate so 1/1 ranks below 95/100', () => {
    expect(wilsonLowerBound(1, 0)).toBeLessThan(wilsonLowerBound(95, 5));
    expect(wilsonLowerBound(95, 5)).toBeCloseTo(0.888, 2);
    expect(wilsonLowerBound(0, 0)).toBe(0);
  });

  it('halves recency every half-life and saturates usage', () => {
    const now = new Date();
    expect(recencyFeature(new Date(now.getTime() - 24 * 3600_000), now, 24)).toBeCloseTo(0.5);
    expect(recencyFeature(null, now, 24)).toBe(0);
    expect(usageFeature(100, 100)).toBe(1);
    expect(usageFeature(0, 100)).toBe(0);
    expect(usageFeature(10, 100)).toBeGreaterThan(usageFeature(2, 100));
  });

  it('scores context similarity as a smoothed weighted Jaccard over attributes', () => {
    const asked = parseContext('env=prod;team=ops');
    expect(contextSimilarity(asked, asked)).toBe(1);
    expect(contextSimilarity(asked, [])).toBeCloseTo(0.5 / 2.5);
    expect(contextSimilarity(asked, parseContext('team=ops'))).toBeCloseTo(1.5 / 2.5);
    expect(contextSimilarity(asked, parseContext('team=dev'))).toBeCloseTo(0.5 / 3.5);
    expect(contextSimilarity(asked, parseContext('team=ops'), { team: 3 })).toBeCloseTo(3.5 / 4.5);
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd'), fc.constantFrom('x', 'y')),
        fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd'), fc.constantFrom('x', 'y')),
        (a, r) => {
          const s = contextSimilarity(parseContext(a), parseContext(r));
          expect(s).toBeGreaterThan(0);
          expect(s).toBeLessThanOrEqual(1);
        },
      ),
    );
  });
});

describe('learned weights', () => {
  it('beat the initial weights on a seeded synthetic feedback set whose truth is known', () => {
    const initial = { bias: -4, usage: 1, success: 4, similarity: 3, recency: 1 };
    const train = syntheticFeedback(4000, 42);
    const test = syntheticFeedback(2000, 7);
    const learned = fitLogistic(train, initial);
    const before = evaluate(initial, test);
    const after = evaluate(learned, test);
    // A clear margin, not noise: at least 15 % lower log-loss and 0.05 more AUC.
    expect(after.logLoss).toBeLessThan(before.logLoss * 0.85);
    expect(after.auc).toBeGreaterThan(before.auc + 0.05);
    // It recovers the truth's emphasis: similarity and recency over success.
    expect(learned.similarity).toBeGreaterThan(learned.success);
    expect(learned.recency).toBeGreaterThan(learned.success);
    for (const f of FEATURES) expect(learned[f]).toBeGreaterThanOrEqual(0);
  });
});

import { Attributes, splitCanonical } from '../context';
import { DefaultValueEntity } from '../entities/default-value.entity';
import {
  contextSimilarity,
  FeatureSettings,
  FeatureVector,
  recencyFeature,
  usageFeature,
  wilsonLowerBound,
} from './features';

/** JSON with object keys sorted, so `{a,b}` and `{b,a}` (and jsonb's own order) compare equal. */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

export interface CandidateFeatures {
  value: unknown;
  /** The stored row the statistics come from (null: the value is stored nowhere for the key). */
  row: DefaultValueEntity | null;
  features: FeatureVector;
}

export interface FeatureContext {
  asked: Attributes;
  now: Date;
  settings: FeatureSettings & { contextWeights: Record<string, number> };
}

/**
 * Features of one value: taken from the stored row holding that value whose context is most
 * similar to the asked one (ties: the more used row). A value stored nowhere gets zeros,
 * except similarity, which is that of the global context (it has no context of its own).
 */
export function featuresOf(value: unknown, rows: DefaultValueEntity[], fc: FeatureContext): CandidateFeatures {
  const id = stableJson(value);
  let best: { row: DefaultValueEntity; sim: number } | null = null;
  for (const row of rows) {
    if (stableJson(row.value) !== id) continue;
    const sim = contextSimilarity(fc.asked, splitCanonical(row.context), fc.settings.contextWeights);
    if (!best || sim > best.sim || (sim === best.sim && row.usageCount > best.row.usageCount)) best = { row, sim };
  }
  if (!best) {
    return {
      value,
      row: null,
      features: {
        usage: 0,
        success: 0,
        similarity: contextSimilarity(fc.asked, [], fc.settings.contextWeights),
        recency: 0,
      },
    };
  }
  const r = best.row;
  return {
    value,
    row: r,
    features: {
      usage: usageFeature(r.usageCount, fc.settings.usageSaturation),
      success: wilsonLowerBound(r.successCount, r.failureCount),
      similarity: best.sim,
      recency: recencyFeature(r.lastUsedAt, fc.now, fc.settings.recencyHalfLifeHours),
    },
  };
}

/** Distinct stored values of a key, in row order. */
export function distinctValues(rows: DefaultValueEntity[]): unknown[] {
  const seen = new Set<string>();
  const out: unknown[] = [];
  for (const r of rows) {
    const id = stableJson(r.value);
    if (!seen.has(id)) {
      seen.add(id);
      out.push(r.value);
    }
  }
  return out;
}

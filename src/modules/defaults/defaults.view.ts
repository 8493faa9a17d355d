import { createHash } from 'node:crypto';
import { DefaultValueEntity } from './entities/default-value.entity';

export interface DefaultValueView {
  id: string;
  key: string;
  context: string;
  value: unknown;
  confidence: number;
  usageCount: number;
  successCount: number;
  failureCount: number;
  lastUsedAt: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export function toView(e: DefaultValueEntity): DefaultValueView {
  return {
    id: e.id,
    key: e.key,
    context: e.context,
    value: e.value,
    confidence: e.confidence,
    usageCount: e.usageCount,
    successCount: e.successCount,
    failureCount: e.failureCount,
    lastUsedAt: e.lastUsedAt ? e.lastUsedAt.toISOString() : null,
    createdAt: e.createdAt.toISOString(),
    updatedAt: e.updatedAt.toISOString(),
    version: e.version,
  };
}

/** Audit entity id of a (key, context) pair: stable across delete and re-create. */
export function auditEntityId(key: string, context: string): string {
  return createHash('sha256').update(`${key}\n${context}`).digest('hex');
}

export const AUDIT_ENTITY_TYPE = 'default_value';

export const etagOf = (version: number) => `"${version}"`;

/**
 * If-Match as sent: `*`, `"3"`, `W/"3"` or `3`. Returns '*', a version number, or NaN for
 * anything else (which can never match, so it answers 412 like a stale version).
 */
export function parseIfMatch(header: string | undefined): '*' | number | undefined {
  if (header === undefined || header === '') return undefined;
  const h = header.trim();
  if (h === '*') return '*';
  const m = /^(?:W\/)?"?(\d{1,10})"?$/.exec(h);
  return m ? Number(m[1]) : NaN;
}

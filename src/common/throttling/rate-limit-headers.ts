/** What a client needs to pace itself against one limit (one named policy). */
export interface RateLimitState {
  /** Policy name, e.g. "default" (the API budget) or "auth-failures". */
  policy: string;
  limit: number;
  windowSeconds: number;
  remaining: number;
  /** Seconds until the quota resets (or the block ends). */
  resetSeconds: number;
}

interface HeaderSink {
  header(name: string, value: string | number): unknown;
}

/**
 * IETF draft-ietf-httpapi-ratelimit-headers (structured-field syntax) plus the older
 * X-RateLimit-* trio that clients already read; sent on 2xx and 429 alike, so a client sees
 * the same picture whichever answer it got. A 429 also carries Retry-After (RFC 9110).
 */
export function setRateLimitHeaders(reply: HeaderSink, s: RateLimitState, refused = false): void {
  const reset = Math.max(0, Math.ceil(s.resetSeconds));
  reply.header('RateLimit-Policy', `"${s.policy}";q=${s.limit};w=${s.windowSeconds}`);
  reply.header('RateLimit', `"${s.policy}";r=${Math.max(0, s.remaining)};t=${reset}`);
  if (s.policy === 'default') {
    reply.header('X-RateLimit-Limit', s.limit);
    reply.header('X-RateLimit-Remaining', Math.max(0, s.remaining));
    reply.header('X-RateLimit-Reset', reset);
  }
  if (refused) reply.header('Retry-After', Math.max(1, reset));
}

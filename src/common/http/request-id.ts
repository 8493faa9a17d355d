import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Takes the caller's X-Request-Id when it is a plausible id (so traces join up across services),
 * otherwise makes one; anything else could smuggle text into logs. The id is also left on the
 * raw request, where pino-http picks it up, so logs, spans and responses carry the same id.
 */
export function requestIdFor(raw: IncomingMessage): string {
  // Already decided for this request (the tracing hook asks before Fastify does).
  const known = (raw as IncomingMessage & { id?: unknown }).id;
  if (typeof known === 'string') return known;
  const given = raw.headers[REQUEST_ID_HEADER];
  const id = typeof given === 'string' && SAFE_ID.test(given) ? given : randomUUID();
  (raw as IncomingMessage & { id?: string }).id = id;
  return id;
}

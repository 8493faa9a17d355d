import type { FastifyInstance } from 'fastify';

/**
 * Every e2e app (bootApp) scans each response body it sends for what must never leave the
 * server: argon2 hashes, the JWT secret, stored-digest fields. Findings are collected here and
 * fail the test file in leak-scan-setup.ts (setupFilesAfterEnv), whatever the test asserted.
 */
const found: string[] = [];

const HASH_FIELDS =
  /"(?:passwordHash|password_hash|secretHash|secret_hash|previousSecretHash|previous_secret_hash|tokenHash|token_hash)"\s*:/;
const ARGON2 = /\$argon2(?:id|i|d)\$/;

export function scanBody(url: string, body: string, jwtSecret: string): string | null {
  if (url.startsWith('/docs')) return null;
  if (ARGON2.test(body)) return 'an argon2 hash';
  if (HASH_FIELDS.test(body)) return 'a stored-digest field';
  if (jwtSecret.length >= 16 && body.includes(jwtSecret)) return 'the JWT secret';
  return null;
}

/** Added before the compression plugin, so it sees the plain body (streams are skipped). */
export function installLeakScan(fastify: FastifyInstance, jwtSecret: string): void {
  fastify.addHook('onSend', (request, _reply, payload, done) => {
    const text = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : null;
    const leak = text === null ? null : scanBody(request.url, text, jwtSecret);
    if (leak) found.push(`${request.method} ${request.url} answered ${leak}`);
    done(null, payload);
  });
}

export function leaksFound(): string[] {
  return found;
}

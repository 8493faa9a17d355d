import type { FastifyInstance } from 'fastify';
import helmet, { HelmetOptions } from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * helmet's headers for nexcore's configuration, computed once. They do not depend on the request
 * (no CSP nonces), and @fastify/helmet rebuilds the whole helmet middleware — re-parsing the CSP
 * directives — on every request, which was ~8% of the CPU of a small route in bench:http.
 */
export function computeSecurityHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader: (name: string, value: string | number | string[]) => {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader: (name: string) => delete headers[name.toLowerCase()],
  } as unknown as ServerResponse;
  let error: unknown;
  helmet(options)({} as IncomingMessage, res, (err?: unknown) => (error = err));
  if (error) throw error;
  return headers;
}

export const HELMET_OPTIONS: HelmetOptions = {
  contentSecurityPolicy: {
    useDefaults: true,
    // TLS is terminated in front of the app (Railway); HSTS below covers upgrades.
    directives: { 'upgrade-insecure-requests': null, 'style-src': ["'self'", "'unsafe-inline'"] },
  },
};

let defaults: Record<string, string> | undefined;

/** The headers for HELMET_OPTIONS, computed on first use. */
export function securityHeaders(): Record<string, string> {
  return (defaults ??= computeSecurityHeaders(HELMET_OPTIONS));
}

export function installSecurityHeaders(fastify: FastifyInstance, options: HelmetOptions = HELMET_OPTIONS): void {
  const headers = options === HELMET_OPTIONS ? securityHeaders() : computeSecurityHeaders(options);
  fastify.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });
}

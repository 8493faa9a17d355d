import { MethodNotAllowedException } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';

const METHOD_ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** `/api/v1/sources/:id` -> a regex matching one concrete path (parameters are one segment). */
function patternToRegex(url: string): RegExp {
  const source = url
    .split('/')
    .map((seg) => (seg.startsWith(':') ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}/?$`);
}

/**
 * A path that exists for other methods answers 405 with `Allow` (RFC 9110 15.5.6) instead of
 * the router's 404, so a client sees it used the wrong method, not a wrong URL. Unknown paths
 * stay 404. Catch-all routes (the CORS preflight's `*`) are ignored, or every path would exist.
 * Must be installed before the routes are registered (it learns them through onRoute).
 */
export function installMethodNotAllowed(fastify: FastifyInstance): void {
  const routes = new Map<string, { re: RegExp; methods: Set<string> }>();
  fastify.addHook('onRoute', (route) => {
    if (route.url.includes('*')) return;
    const entry = routes.get(route.url) ?? { re: patternToRegex(route.url), methods: new Set<string>() };
    for (const m of [route.method].flat()) entry.methods.add(m.toUpperCase());
    if (entry.methods.has('GET')) entry.methods.add('HEAD');
    routes.set(route.url, entry);
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    if (!request.is404) return done();
    const path = request.url.split('?')[0];
    const allowed = new Set<string>();
    for (const { re, methods } of routes.values()) if (re.test(path)) methods.forEach((m) => allowed.add(m));
    allowed.delete(request.method);
    if (!allowed.size) return done();
    const allow = METHOD_ORDER.filter((m) => allowed.has(m)).join(', ');
    reply.header('Allow', allow);
    done(new MethodNotAllowedException(`${request.method} is not allowed here; use ${allow}`));
  });
}

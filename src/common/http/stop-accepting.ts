import type { FastifyInstance } from 'fastify';

/** Servers whose listener stopAccepting() closed: their responses end keep-alive connections. */
const draining = new WeakSet<object>();

export function isDraining(fastify: FastifyInstance): boolean {
  return draining.has(fastify);
}

/**
 * Closes the listening socket now, so new connections are refused, synchronously and before any
 * shutdown step that might be slow. (Fastify closes its listener only after running the plugins'
 * onClose hooks, and answers 503 meanwhile.) Fastify itself is closed later by Nest, once the
 * connections are gone: closing it now would also answer 503 to requests already accepted but
 * not yet routed. Resolves when the last connection has ended (requests in flight finished,
 * their keep-alive connections closed); at once when nothing listens (worker role, inject tests).
 */
export function stopAccepting(fastify: FastifyInstance): Promise<void> {
  const server = fastify.server;
  if (!server.listening || draining.has(fastify)) return Promise.resolve();
  draining.add(fastify);
  return new Promise<void>((resolve) => server.close(() => resolve()));
}

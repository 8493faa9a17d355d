import type { FastifyInstance } from 'fastify';
import { PinoLogger } from 'nestjs-pino';
import type { Logger } from 'pino';
import { storage, Store } from 'nestjs-pino/storage';
import { isQuietPath } from './pino-options';

/**
 * Per-request logging on Fastify hooks instead of pino-http as Express-style middleware: the
 * middleware path (middie + pino-http) cost about a quarter of the throughput of a small route
 * (bench:http). Every log line written while a request is handled, through Nest's Logger or
 * PinoLogger, carries its `requestId`; one access line is written when the response is done.
 */
/** The request's child logger is only built when something logs (most probe requests never do). */
function lazyStore(root: Logger, requestId: string): Store {
  const store = new Store(root);
  let child: Logger | undefined;
  Object.defineProperty(store, 'logger', {
    get: () => (child ??= root.child({ requestId })),
    enumerable: true,
  });
  return store;
}

export function installRequestLogging(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, _reply, done) => {
    const root = PinoLogger.root;
    if (root) storage.enterWith(lazyStore(root, String(request.id)));
    done();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const log = storage.getStore()?.logger;
    if (log && !isQuietPath(request.url)) {
      const status = reply.statusCode;
      const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
      log[level](
        {
          // Raw objects: pino-http's standard serializers (and the redaction paths) expect them.
          req: request.raw,
          res: reply.raw,
          responseTime: Math.round(reply.elapsedTime * 100) / 100,
        },
        'request completed',
      );
    }
    done();
  });
}

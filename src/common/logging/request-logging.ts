import type { FastifyInstance } from 'fastify';
import { storage } from 'nestjs-pino/storage';
import { isQuietPath } from '../http/quiet-paths';
import { enterRequest } from './request-context';

/**
 * Per-request logging on Fastify hooks instead of pino-http as Express-style middleware: the
 * middleware path (middie + pino-http) cost about a quarter of the throughput of a small route
 * (bench:http). Every log line written while a request is handled, through Nest's Logger or
 * PinoLogger, carries its `requestId`; one access line is written when the response is done.
 */
export function installRequestLogging(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, _reply, done) => {
    enterRequest(String(request.id));
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

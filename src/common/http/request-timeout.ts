import { ServiceUnavailableException } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { buildProblem, mapError, PROBLEM_CONTENT_TYPE } from '../errors/problem';

declare module 'fastify' {
  interface FastifyContextConfig {
    noTimeout?: boolean;
  }
}

/**
 * Answers 503 problem+json when a handler runs longer than `timeoutMs`. Done with a timer on
 * Fastify hooks rather than a Nest interceptor: any global interceptor puts every request
 * through Nest's interceptor chain, which cut a small route's throughput by about 3x here.
 * Routes marked @NoTimeout() (streams) are exempt. Install it before any onSend hook that can
 * take time (compression), so the timer stops as soon as the handler has answered.
 */
export function installRequestTimeout(fastify: FastifyInstance, timeoutMs: number): void {
  const timers = new WeakMap<object, NodeJS.Timeout>();
  fastify.addHook('onRequest', (request, reply, done) => {
    if (!request.routeOptions.config?.noTimeout) {
      const timer = setTimeout(() => {
        if (reply.sent) return;
        const err = new ServiceUnavailableException(`The request took longer than ${timeoutMs} ms`);
        const problem = buildProblem(mapError(err), request.url, String(request.id));
        reply.code(503).header('content-type', PROBLEM_CONTENT_TYPE).send(problem);
      }, timeoutMs);
      timers.set(request, timer);
    }
    done();
  });
  const clear = (request: object) => {
    clearTimeout(timers.get(request));
    timers.delete(request);
  };
  // Once the handler has answered, the timeout no longer applies: a 503 sent while that answer
  // is still being compressed and written mixed the two (gzip header, plain 503 body).
  fastify.addHook('onSend', (request, _reply, payload, done) => {
    clear(request);
    done(null, payload);
  });
  fastify.addHook('onResponse', (request, _reply, done) => {
    clear(request);
    done();
  });
  fastify.addHook('onRequestAbort', (request, done) => {
    clear(request);
    done();
  });
}

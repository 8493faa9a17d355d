import { UnsupportedMediaTypeException } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/**
 * API bodies are JSON. Fastify parses text/plain (and Nest adds a form parser) by default, so
 * such a body reached validation and answered 400, which reads as "fix your fields" rather than
 * "wrong format": it is refused with 415 before parsing. Bodyless requests are not checked.
 */
export function installJsonOnlyBodies(fastify: FastifyInstance, prefix = '/api/'): void {
  fastify.addHook('preParsing', (request, _reply, payload, done) => {
    const type = request.headers['content-type'];
    const hasBody =
      request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length'] ?? 0) > 0;
    if (
      !hasBody ||
      type === undefined ||
      JSON_TYPE.test(type) ||
      !(request.routeOptions.url ?? '').startsWith(prefix)
    ) {
      return done(null, payload);
    }
    done(
      new UnsupportedMediaTypeException(
        `Request bodies must be application/json, not ${type.split(';')[0].trim().slice(0, 100)}`,
      ),
      payload,
    );
  });
}

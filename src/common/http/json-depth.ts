import { BadRequestException } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';

/** Deeper than any DTO needs (free-form values included); deeper bodies are refused with 400. */
export const MAX_JSON_DEPTH = 32;

/** Iterative, so a hostile body cannot exhaust the stack of the check itself. */
export function jsonDepthExceeds(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (depth > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v as object)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}

/**
 * JSON.parse accepts any nesting, but class-transformer and class-validator recurse into nested
 * values: a body nested a few thousand levels deep overflowed the stack (a 500). Checked after
 * parsing, before validation.
 */
export function installJsonDepthLimit(fastify: FastifyInstance, max = MAX_JSON_DEPTH): void {
  fastify.addHook('preValidation', (request, _reply, done) => {
    const body = request.body;
    if (body !== null && typeof body === 'object' && jsonDepthExceeds(body, max)) {
      return done(new BadRequestException(`The JSON body is nested deeper than ${max} levels`));
    }
    done();
  });
}

import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { buildProblem, mapError, PROBLEM_CONTENT_TYPE } from '../errors/problem';
import { REQUEST_ID_HEADER } from './request-id';
import { securityHeaders } from './security-headers';

/**
 * Errors Fastify raises before routing (a malformed percent-encoding in the path, a path
 * parameter over maxParamLength): without this they were plain JSON with no security headers,
 * because no onRequest hook runs for them.
 */
export function answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const problem = buildProblem(mapError(error), request.url, String(request.id));
  void reply
    .headers(securityHeaders())
    .header(REQUEST_ID_HEADER, request.id)
    .code(problem.status)
    .header('content-type', PROBLEM_CONTENT_TYPE)
    .send(problem);
}

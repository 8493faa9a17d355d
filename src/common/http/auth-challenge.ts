import type { FastifyInstance } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';

export const AUTH_REALM = 'nexcore';
const BASE_CHALLENGE = `Bearer realm="${AUTH_REALM}"`;

/**
 * The WWW-Authenticate value of a 401 (RFC 9110 requires one). RFC 6750: no error code when the
 * request carried no credentials; error="invalid_token" when the one it carried was refused.
 * API keys are not bearer tokens in the OAuth sense, so a refused key names our ApiKey scheme.
 */
export function authChallenge(headers: IncomingHttpHeaders): string {
  if (typeof headers.authorization === 'string' && headers.authorization.length)
    return `${BASE_CHALLENGE}, error="invalid_token"`;
  const key = headers['x-api-key'];
  if (typeof key === 'string' && key.length) return `ApiKey realm="${AUTH_REALM}", error="invalid_token"`;
  return BASE_CHALLENGE;
}

/** Any 401 that did not set its own challenge (a failed login, /metrics) gets the base one. */
export function installAuthChallenge(fastify: FastifyInstance): void {
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (reply.statusCode === 401 && !reply.hasHeader('www-authenticate'))
      reply.header('WWW-Authenticate', BASE_CHALLENGE);
    done(null, payload);
  });
}

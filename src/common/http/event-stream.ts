import type { FastifyReply } from 'fastify';
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';

const SSE_HEADERS: OutgoingHttpHeaders = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
};

/**
 * Takes the raw response over for a server-sent event stream. reply.hijack() bypasses Fastify's
 * reply, so a bare writeHead would drop every header the onRequest hooks set on it (security
 * headers, CORS grant, X-Request-Id); they are carried over here.
 */
export function startEventStream(reply: FastifyReply): ServerResponse {
  reply.hijack();
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) headers[name] = value;
  reply.raw.writeHead(200, { ...headers, ...SSE_HEADERS });
  return reply.raw;
}

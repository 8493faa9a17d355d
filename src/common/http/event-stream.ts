import { Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { buildProblem, mapError } from '../errors/problem';

const SSE_HEADERS: OutgoingHttpHeaders = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
};

const logger = new Logger('Errors');

/** A server-sent event stream on a hijacked reply; writes after the end are dropped. */
export interface EventStream {
  /** The raw response, for its `close` event (the client went away or the stream ended). */
  readonly raw: ServerResponse;
  send(event: string, data: unknown): void;
  /** A comment line: keeps proxies from closing an idle stream, shows nothing to the client. */
  keepAlive(): void;
  /**
   * Ends the stream with `event: error` carrying the problem+json body the same error gets as a
   * plain response (status, code, detail, requestId), mapped and logged by the same rules.
   */
  fail(err: unknown): void;
  end(): void;
}

/**
 * Takes the raw response over for a server-sent event stream. reply.hijack() bypasses Fastify's
 * reply, so a bare writeHead would drop every header the onRequest hooks set on it (security
 * headers, CORS grant, X-Request-Id); they are carried over here.
 */
export function openEventStream(reply: FastifyReply): EventStream {
  reply.hijack();
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) headers[name] = value;
  const raw = reply.raw;
  raw.writeHead(200, { ...headers, ...SSE_HEADERS });
  const open = () => !raw.writableEnded && !raw.destroyed;
  const send = (event: string, data: unknown) => {
    if (open()) raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  return {
    raw,
    send,
    keepAlive: () => {
      if (open()) raw.write(': keep-alive\n\n');
    },
    fail: (err) => {
      const request = reply.request;
      const mapped = mapError(err);
      const requestId = String(request.id ?? '');
      if (mapped.internal) {
        const stack = err instanceof Error ? err.stack : String(err);
        logger.error(`${request.method} ${request.url} failed mid-stream [${requestId}]: ${stack}`);
      }
      send('error', buildProblem(mapped, request.url, requestId));
      raw.end();
    },
    end: () => raw.end(),
  };
}

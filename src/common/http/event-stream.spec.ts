import { BadGatewayException } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { PassThrough } from 'node:stream';
import { problemBody } from '../errors/error-code';
import { buildProblem, mapError } from '../errors/problem';
import { openEventStream } from './event-stream';

/** A hijackable reply whose raw response collects what is written. */
function fakeReply() {
  const out = new PassThrough();
  let text = '';
  out.on('data', (c: Buffer) => (text += c.toString()));
  const raw = Object.assign(out, { writeHead: jest.fn() }) as unknown as FastifyReply['raw'];
  const reply = {
    raw,
    hijack: jest.fn(),
    getHeaders: () => ({ 'x-request-id': 'req-1', 'x-skipped': undefined }),
    request: { id: 'req-1', url: '/api/v1/ask/stream', method: 'POST' },
  } as unknown as FastifyReply;
  return { reply, raw, text: () => text };
}

describe('openEventStream', () => {
  it('keeps the headers the hooks set and adds the event-stream ones', () => {
    const { reply, raw } = fakeReply();
    openEventStream(reply);
    expect(reply.hijack).toHaveBeenCalled();
    expect(raw.writeHead).toHaveBeenCalledWith(
      200,
      expect.objectContaining({ 'x-request-id': 'req-1', 'content-type': 'text/event-stream' }),
    );
  });

  it('writes events and keep-alives, and nothing after the end', async () => {
    const { reply, text } = fakeReply();
    const s = openEventStream(reply);
    s.send('delta', { text: 'hi' });
    s.keepAlive();
    s.end();
    s.send('late', {});
    await new Promise((r) => setImmediate(r));
    expect(text()).toBe('event: delta\ndata: {"text":"hi"}\n\n: keep-alive\n\n');
  });

  it('sends a failure as the problem body the plain response would carry, then ends', async () => {
    const { reply, raw, text } = fakeReply();
    const err = new BadGatewayException(
      problemBody({ message: 'The language model answered 400', code: 'llm-error', upstreamStatus: 400 }),
    );
    openEventStream(reply).fail(err);
    await new Promise((r) => setImmediate(r));
    const expected = buildProblem(mapError(err), '/api/v1/ask/stream', 'req-1');
    expect(text()).toBe(`event: error\ndata: ${JSON.stringify(expected)}\n\n`);
    expect(expected).toMatchObject({ status: 502, code: 'llm-error', detail: 'The language model answered 400' });
    expect(raw.writableEnded).toBe(true);
  });
});

import fc from 'fast-check';
import type { IncomingMessage } from 'node:http';
import { requestIdFor } from './request-id';

const req = (value?: string) => ({ headers: value === undefined ? {} : { 'x-request-id': value } }) as IncomingMessage;

describe('requestIdFor', () => {
  it('keeps a plausible caller id and stores it on the raw request', () => {
    const r = req('abc-123_x.y:z');
    expect(requestIdFor(r)).toBe('abc-123_x.y:z');
    expect((r as IncomingMessage & { id?: string }).id).toBe('abc-123_x.y:z');
  });

  it('generates a UUID when none is given', () => {
    expect(requestIdFor(req())).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('decides once per request: a second call (tracing hook, then Fastify) gets the same generated id', () => {
    const r = req();
    expect(requestIdFor(r)).toBe(requestIdFor(r));
  });

  it('never returns anything that could break a log line or header', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (value) => {
        expect(requestIdFor(req(value))).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
      }),
    );
  });
});

import Fastify from 'fastify';
import { installRequestTimeout } from './request-timeout';

describe('installRequestTimeout', () => {
  it('answers 503 when the handler is too slow', async () => {
    const app = Fastify();
    installRequestTimeout(app, 30);
    app.get('/slow', async () => {
      await new Promise((r) => setTimeout(r, 100));
      return { ok: true };
    });
    const res = await app.inject({ method: 'GET', url: '/slow' });
    expect(res.statusCode).toBe(503);
    await app.close();
  });

  it('does not interrupt an answer that is already being sent (slow compression, say)', async () => {
    const app = Fastify();
    installRequestTimeout(app, 30);
    // Stands for @fastify/compress: slow to hand the payload on.
    app.addHook('onSend', async (_req, reply, payload) => {
      reply.header('content-encoding', 'identity');
      await new Promise((r) => setTimeout(r, 100));
      return payload;
    });
    app.get('/quick', async () => ({ ok: true }));
    const res = await app.inject({ method: 'GET', url: '/quick' });
    expect([res.statusCode, res.json()]).toEqual([200, { ok: true }]);
    await app.close();
  });
});

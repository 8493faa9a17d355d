import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { request as rawRequest } from 'node:http';
import { AskUsageService } from '../../src/modules/ask/usage/ask-usage.service';
import { bearer, bootAuthApp, createUser, http, TestUser } from '../support/auth';
import { waitFor } from '../support/redis-server';
import { FixtureSite } from '../ingestion/fixture-site';
import { CRAWL_TEST_ENV, submit, waitForJob } from '../ingestion/helpers';
import { FakeLlm } from './fake-llm';

describe('openai-compatible provider (contract, against a fake server on 127.0.0.1)', () => {
  let app: NestFastifyApplication;
  let site: FixtureSite;
  let llm: FakeLlm;
  let user: TestUser;
  const question = { question: 'How do I go about installing alpha?', mode: 'generative' };

  beforeAll(async () => {
    site = await new FixtureSite().start();
    llm = await new FakeLlm().start();
    app = await bootAuthApp({
      ...CRAWL_TEST_ENV,
      LLM_BASE_URL: llm.baseUrl,
      LLM_MODEL: 'test-model',
      LLM_API_KEY: 'sk-test',
      LLM_TIMEOUT_MS: '1500',
      LLM_MAX_RETRIES: '2',
      LLM_MAX_TOKENS: '64',
    });
    user = await createUser(app);
    const src = await submit(app, user, { url: `${site.origin}/`, maxPages: 20 });
    await waitForJob(app, user, src.job.id);
  });
  afterAll(async () => {
    await app.close();
    await llm.stop();
    await site.stop();
  });
  const ask = (body: Record<string, unknown>) => http(app).post('/api/v1/ask').set(bearer(user.accessToken)).send(body);

  it('sends numbered sources, the citation rule, model, max_tokens and stream:true; parses the streamed answer and usage', async () => {
    llm.reset('ok');
    const res = await ask(question);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      answer: 'Install alpha with the installer [1].',
      usedProvider: 'openai-compatible',
    });
    const [call] = llm.requests;
    expect(call.headers.authorization).toBe('Bearer sk-test');
    expect(call.body).toMatchObject({ model: 'test-model', stream: true, max_tokens: 64 });
    const messages = call.body.messages as { role: string; content: string }[];
    expect(messages[0].role).toBe('system');
    expect(messages[0].content).toMatch(/\[1\]/);
    expect(messages[0].content).toMatch(/Not in the sources/);
    expect(messages[1].content).toMatch(/^Sources:\n\n\[1\] Alpha guide/);
    expect(messages[1].content).toContain('Question: How do I go about installing alpha?');
    expect((await app.get(AskUsageService).today(user.id)).tokens).toBeGreaterThanOrEqual(129);
  });

  it('retries a 503 with backoff and then answers', async () => {
    llm.reset('fail-once');
    const res = await ask(question);
    expect(res.status).toBe(200);
    expect(llm.requests).toHaveLength(2);
  });

  it('maps errors: 4xx → 502 llm-error (no retry), 5xx after retries → 502, too slow → 504', async () => {
    llm.reset('bad-request');
    const bad = await ask(question);
    expect(bad.status).toBe(502);
    expect(bad.body).toMatchObject({ code: 'llm-error' });
    expect(llm.requests).toHaveLength(1);

    llm.reset('always-503');
    const down = await ask(question);
    expect(down.status).toBe(502);
    expect(llm.requests).toHaveLength(3);

    llm.reset('slow');
    const slow = await ask(question);
    expect(slow.status).toBe(504);
    expect(slow.body).toMatchObject({ code: 'llm-timeout' });
  });

  it('reports a provider failure mid-SSE as an error event after the citations', async () => {
    llm.reset('bad-request');
    const res = await http(app)
      .post('/api/v1/ask/stream')
      .set(bearer(user.accessToken))
      .send(question)
      .buffer(true)
      .parse((r, cb) => {
        let d = '';
        r.on('data', (c: Buffer) => (d += c.toString()));
        r.on('end', () => cb(null, d));
      });
    const events = [...(res.body as string).matchAll(/^event: (\w+)$/gm)].map((m) => m[1]);
    expect(events).toEqual(['citations', 'error']);
    expect(res.body).toMatch(/"status":502/);
  });

  it('aborts the upstream call when the client disconnects', async () => {
    llm.reset('hang-after-first');
    const server = app.getHttpServer();
    if (!server.listening) await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const addr = server.address() as { port: number };
    await new Promise<void>((resolve) => {
      const req = rawRequest(
        {
          host: '127.0.0.1',
          port: addr.port,
          method: 'POST',
          path: '/api/v1/ask/stream',
          headers: { ...bearer(user.accessToken), 'content-type': 'application/json' },
        },
        (res) => {
          res.on('data', (c: Buffer) => {
            if (c.toString().includes('event: delta')) {
              req.destroy();
              resolve();
            }
          });
        },
      );
      req.end(JSON.stringify(question));
    });
    const aborted = await waitFor(
      async () => llm.clientAborted,
      (v) => v,
      3000,
    );
    expect(aborted).toBe(true);
  });
});

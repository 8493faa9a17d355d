import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { bearer, bootAuthApp, createUser, http, TestUser } from '../support/auth';
import { FixtureSite } from '../ingestion/fixture-site';
import { CRAWL_TEST_ENV, submit, waitForJob } from '../ingestion/helpers';
import { DataSource } from 'typeorm';
import { quote } from '../../src/modules/ingestion/index/candidates';
import { findCandidates, TERM_STATS_SQL } from '../../src/modules/ingestion/index/chunk-index.repository';
import { estimateTerms, termSnapshot } from '../../src/modules/ingestion/index/term-stats';

const NO_ANSWER = 'No passage in your sources answers this.';

function parseSse(body: string): { event: string; data: Record<string, unknown> }[] {
  return body
    .split('\n\n')
    .filter((b) => b.startsWith('event:'))
    .map((b) => {
      const [, event] = /^event: (.*)$/m.exec(b)!;
      const [, data] = /^data: (.*)$/m.exec(b)!;
      return { event, data: JSON.parse(data) };
    });
}

describe('ask (extractive, full-text retrieval)', () => {
  let app: NestFastifyApplication;
  let site: FixtureSite;
  let user: TestUser;
  let sourceId = '';

  beforeAll(async () => {
    site = await new FixtureSite().start();
    app = await bootAuthApp(CRAWL_TEST_ENV);
    user = await createUser(app);
    const src = await submit(app, user, { url: `${site.origin}/`, maxPages: 30 });
    sourceId = src.id;
    expect((await waitForJob(app, user, src.job.id)).status).toBe('completed');
  });
  afterAll(async () => {
    await app.close();
    await site.stop();
  });

  const ask = (u: TestUser, body: Record<string, unknown>) =>
    http(app).post('/api/v1/ask').set(bearer(u.accessToken)).send(body);

  it('answers with [n] markers matching citations from the page that covers the question', async () => {
    const res = await ask(user, { question: 'How do I go about installing alpha?' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      usedProvider: 'extractive',
      timings: { retrievalMs: expect.any(Number), answerMs: expect.any(Number) },
    });
    expect(res.body.citations[0]).toMatchObject({
      n: 1,
      url: `${site.origin}/a`,
      title: 'Alpha guide',
      headingPath: ['Alpha', 'Install'],
      score: expect.any(Number),
    });
    // Plain text and highlight ranges (the question terms), no markup.
    const { snippet, highlights } = res.body.citations[0];
    expect(snippet).not.toMatch(/\*\*/);
    expect(highlights.map((h: { start: number; end: number }) => snippet.slice(h.start, h.end))).toContainEqual(
      expect.stringMatching(/install/i),
    );
    expect(res.body.answer).toMatch(/installing alpha.*\[1\]/);
    const markers = [...res.body.answer.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
    for (const n of markers) expect(res.body.citations.some((c: { n: number }) => c.n === n)).toBe(true);
  });

  it('finds French pages with the French configuration (stemmed plural)', async () => {
    const res = await ask(user, { question: 'fromage délicieux', sourceIds: [sourceId] });
    expect(res.body.citations[0]?.url).toBe(`${site.origin}/fr`);
  });

  it('says plainly when nothing answers, with no citations', async () => {
    const res = await ask(user, { question: 'quantum chromodynamics lattice gauge' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ answer: NO_ANSWER, citations: [], usedProvider: 'none' });
  });

  it("never searches another user's sources: their sourceId is 404, and their question finds nothing", async () => {
    const other = await createUser(app);
    expect((await ask(other, { question: 'installing alpha', sourceIds: [sourceId] })).status).toBe(404);
    const res = await ask(other, { question: 'installing alpha' });
    expect(res.body).toMatchObject({ answer: NO_ANSWER, citations: [] });
  });

  it('validates input', async () => {
    for (const body of [
      {},
      { question: '' },
      { question: 'x'.repeat(1001) },
      { question: 'q', topK: 0 },
      { question: 'q', topK: 21 },
      { question: 'q', sourceIds: ['nope'] },
      { question: 'q', mode: 'magic' },
    ]) {
      expect((await ask(user, body)).status).toBe(400);
    }
  });

  it('streams SSE: citations first, then deltas, then done (both /ask with Accept and /ask/stream)', async () => {
    for (const req of [
      http(app).post('/api/v1/ask/stream').set(bearer(user.accessToken)),
      http(app).post('/api/v1/ask').set(bearer(user.accessToken)).set('Accept', 'text/event-stream'),
    ]) {
      const res = await req
        .send({ question: 'using alpha usage' })
        .buffer(true)
        .parse((r, cb) => {
          let d = '';
          r.on('data', (c: Buffer) => (d += c.toString()));
          r.on('end', () => cb(null, d));
        });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/event-stream/);
      const events = parseSse(res.body as string);
      expect(events[0].event).toBe('citations');
      expect(events.at(-1)!.event).toBe('done');
      expect(events.slice(1, -1).every((e) => e.event === 'delta')).toBe(true);
      expect(events.length).toBeGreaterThan(2);
      const answer = events
        .filter((e) => e.event === 'delta')
        .map((e) => e.data.text)
        .join('');
      expect(answer).toMatch(/\[1\]/);
    }
  });

  it('/health/detailed says full-text is the active retrieval mode', async () => {
    const admin = await createUser(app, { admin: true });
    const res = await http(app).get('/api/v1/health/detailed').set(bearer(admin.accessToken));
    expect(res.body.retrieval).toMatchObject({ modes: ['full-text'] });
    expect(res.body.answerProviders).toEqual({ default: 'extractive', available: ['extractive'] });
  });

  it('enforces the daily question quota with 429 (ASK_DAILY_QUOTA), also under concurrent questions', async () => {
    const limited = await bootAuthApp({
      ASK_DAILY_QUOTA: '3',
      REDIS_KEY_PREFIX: `nxt:${randomBytes(4).toString('hex')}:`,
    });
    try {
      const u = await createUser(limited);
      const q = () =>
        http(limited).post('/api/v1/ask').set(bearer(u.accessToken)).send({ question: 'anything at all' });
      expect((await q()).status).toBe(200);
      const burst = await Promise.all([q(), q(), q(), q()]);
      expect(burst.map((r) => r.status).sort()).toEqual([200, 200, 429, 429]);
      const refused = burst.find((r) => r.status === 429)!;
      expect(refused.body.code).toBe('ask-quota-exceeded');
      const usage = await http(limited).get('/api/v1/ask/usage').set(bearer(u.accessToken));
      expect(usage.status).toBe(200);
      // Refused questions are not counted: the ledger holds exactly the quota.
      expect(usage.body).toMatchObject({ dailyQuota: 3, remainingToday: 0, today: { questions: 3, tokens: 0 } });
      expect(usage.body.days).toEqual([usage.body.today]);
    } finally {
      await limited.close();
    }
  });

  it('keeps usage in Postgres: it survives a restart with a different Redis prefix, is exported, and erased with the account', async () => {
    const u = await createUser(app);
    const before = await http(app).get('/api/v1/ask/usage?days=7').set(bearer(u.accessToken));
    expect(before.body).toMatchObject({ dailyQuota: 0, remainingToday: null, today: { questions: 0 }, days: [] });
    await ask(u, { question: 'installing alpha' });
    await ask(u, { question: 'installing alpha' });
    const other = await bootAuthApp({ REDIS_KEY_PREFIX: `nxt:${randomBytes(4).toString('hex')}:` });
    try {
      const after = await http(other).get('/api/v1/ask/usage').set(bearer(u.accessToken));
      expect(after.body.today.questions).toBe(2);
      const exported = await http(other).get('/api/v1/auth/me/export').set(bearer(u.accessToken));
      expect(exported.body.ask.usage).toEqual([expect.objectContaining({ questions: 2 })]);
    } finally {
      await other.close();
    }
    expect((await http(app).get('/api/v1/ask/usage?days=0').set(bearer(u.accessToken))).status).toBe(400);
    const ds = app.get(DataSource);
    await ds.query(`DELETE FROM users WHERE id = $1`, [u.id]);
    expect(await ds.query(`SELECT 1 FROM ask_usage WHERE user_id = $1`, [u.id])).toHaveLength(0);
  });

  describe('candidate pre-selection (the same SQL the retriever runs, with chosen term frequencies)', () => {
    const run = (sql: string, params: unknown[]) => app.get(DataSource).query(sql, params);
    const terms = ['alpha', 'instal'];
    const search = (df: Record<string, number>, budget: number, limit = 5) =>
      findCandidates(run, {
        sourceIds: [sourceId],
        config: 'english',
        terms,
        df: new Map(Object.entries(df)),
        limit,
        budget,
      });
    const texts = async (rows: { id: string }[]): Promise<string[]> =>
      (await run(`SELECT text FROM chunks WHERE id = ANY($1)`, [rows.map((r) => r.id)])).map((r: { text: string }) =>
        r.text.toLowerCase(),
      );

    it('ranks every chunk with any term when all fit the budget, with coverage from the vector', async () => {
      const rows = await search({ alpha: 1, instal: 1 }, 1000);
      expect(rows.length).toBeGreaterThan(0);
      expect(rows[0]).toMatchObject({ url: `${site.origin}/a`, coverage: 1 });
      expect(rows.map((r) => Number(r.score))).toEqual([...rows.map((r) => Number(r.score))].sort((a, b) => b - a));
    });

    it('counts an expansion lexeme as half a missing term toward coverage, never past the own terms', async () => {
      const page = async (t: string[], expansions: string[]) =>
        (
          await findCandidates(run, {
            sourceIds: [sourceId],
            config: 'english',
            terms: t,
            expansions,
            df: null,
            limit: 50,
            budget: 1000,
          })
        ).find((r) => r.url === `${site.origin}/a`);
      expect(Number((await page(['alpha', 'nosuchlexem'], []))?.coverage)).toBeCloseTo(0.5);
      expect(Number((await page(['alpha', 'nosuchlexem'], ['instal']))?.coverage)).toBeCloseTo(0.75);
      // Every own term already there: a synonym adds nothing.
      expect(Number((await page(['alpha'], ['instal']))?.coverage)).toBeCloseTo(1);
      // Found through the synonym alone.
      expect(Number((await page(['nosuchlexem'], ['instal']))?.coverage)).toBeCloseTo(0.5);
    });

    it('caps the rows scored at the budget with statistics, and scores every match without them', async () => {
      const run1 = (df: Map<string, number> | null) =>
        findCandidates(run, { sourceIds: [sourceId], config: 'english', terms, df, limit: 50, budget: 1 });
      expect(
        await run1(
          new Map([
            ['alpha', 0],
            ['instal', 0],
          ]),
        ),
      ).toHaveLength(1);
      expect((await run1(null)).length).toBeGreaterThan(1);
    });

    it('scores only chunks with the rare term when the common one would blow the budget', async () => {
      const rows = await search({ alpha: 5, instal: 1e6 }, 100);
      expect(rows.length).toBeGreaterThan(0);
      for (const t of await texts(rows)) expect(t).toContain('alpha');
    });

    it('falls back to the conjunction of all terms when every term is common', async () => {
      const rows = await search({ alpha: 1e6, instal: 2e6 }, 100, 1);
      expect(rows).toHaveLength(1);
      for (const t of await texts(rows)) expect(t).toMatch(/alpha[\s\S]*instal|instal[\s\S]*alpha/);
    });

    it('loosens the conjunction (dropping the most common term) when it finds too few chunks', async () => {
      const rows = await search({ alpha: 1e6, instal: 2e6 }, 100, 50);
      const all = await texts(rows);
      expect(all.some((t) => !t.includes('instal'))).toBe(true);
      for (const t of all) expect(t).toContain('alpha');
    });

    it('matches hyphenated lexemes as one lexeme (cast, not re-parsed into a phrase)', async () => {
      const [{ lexemes }] = await run(
        `SELECT tsvector_to_array(to_tsvector('english', 'command-line tools')) AS lexemes`,
        [],
      );
      expect(lexemes).toContain('command-lin');
      const [{ hit }] = await run(`SELECT to_tsvector('english', 'Parse command-line options') @@ $1::tsquery AS hit`, [
        quote('command-lin'),
      ]);
      expect(hit).toBe(true);
    });

    it('reads term frequencies from pg_stats after ANALYZE', async () => {
      await run('ANALYZE chunks', []);
      const stats = termSnapshot((await run(TERM_STATS_SQL, []))[0]);
      expect(stats.rows).toBeGreaterThan(0);
      expect(estimateTerms(stats, ['alpha'])?.get('alpha')).toBeGreaterThan(0);
    });
  });
});

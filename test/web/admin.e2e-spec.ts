import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { AUTH_TEST_ENV, bearer, createUser, http, PASSWORD, TestUser } from '../support/auth';
import { bootApp } from '../support/app';
import { launchBrowser, screenshot } from '../support/browser';

const shot = (page: Page, name: string) => screenshot(page, 'admin', name);

/** The admin views of the web client (defaults browser, feedback inbox) in real Chromium. */
describe('web client admin views (Chromium)', () => {
  let app: NestFastifyApplication;
  let browser: Browser;
  let base: string;
  let admin: TestUser;
  let user: TestUser;
  // Keys and messages of this run only, so rows left by other specs never match.
  const tag = randomBytes(4).toString('hex');
  const prefix = `web${tag}.ui.`;
  const cspViolations: string[] = [];

  beforeAll(async () => {
    app = await bootApp(AUTH_TEST_ENV);
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    admin = await createUser(app, { admin: true });
    user = await createUser(app);
    for (const [key, context, value] of [
      [`${prefix}theme`, '', 'light'],
      [`${prefix}theme`, 'team=ops', 'dark'],
      [`${prefix}pagesize`, '', 25],
    ] as const) {
      const res = await http(app)
        .put(`/api/v1/defaults/${key}`)
        .set(bearer(admin.accessToken))
        .send({ context, value, confidence: 0.8 });
      expect(res.status).toBe(201);
    }
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function openAs(who: TestUser, viewport = { width: 1280, height: 900 }): Promise<Page> {
    const page = await browser.newPage({ viewport });
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });
    await page.goto(base + '/');
    await page.getByLabel('Email').fill(who.email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Sources' }).waitFor();
    return page;
  }

  const rowOf = (page: Page, key: string, context: string) =>
    page.locator(`[data-testid="default-row"][data-key="${key}"][data-context="${context}"]`);

  it('browses defaults, edits a value and sees it with its history, at phone width', async () => {
    const page = await openAs(admin, { width: 375, height: 812 });
    await page.getByRole('link', { name: 'Defaults' }).click();
    await page.getByRole('heading', { name: 'Defaults' }).waitFor();
    await page.getByLabel('Key starts with').fill(prefix);
    await page.getByRole('button', { name: 'Search' }).click();
    await rowOf(page, `${prefix}theme`, 'team=ops').waitFor();
    expect(await page.getByTestId('default-row').count()).toBe(3);
    const global = rowOf(page, `${prefix}theme`, '');
    expect(await global.textContent()).toMatch(/global.*"light".*confidence 0\.80.*used 0×/s);
    expect(await rowOf(page, `${prefix}theme`, 'team=ops').textContent()).toMatch(/team=ops.*"dark"/s);
    await shot(page, '01-defaults-search-375px');

    // A search that matches nothing says so.
    await page.getByLabel('Key starts with').fill(`${prefix}nothing`);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByTestId('no-defaults').waitFor();
    await page.getByLabel('Key starts with').fill(prefix);
    await page.getByRole('button', { name: 'Search' }).click();

    await global.getByRole('button', { name: 'Edit' }).click();
    const value = global.getByLabel('Value (JSON)');
    // Not JSON: refused next to the form, before any request.
    await value.fill('solarized');
    await global.getByRole('button', { name: 'Save' }).click();
    await global
      .locator('.msg.error')
      .filter({ hasText: /must be JSON/ })
      .waitFor();
    await value.fill('"solarized"');
    await global.getByRole('button', { name: 'Save' }).click();
    await global.getByTestId('default-value').filter({ hasText: '"solarized"' }).waitFor();
    expect(await global.textContent()).toMatch(/v2/);
    await shot(page, '02-default-edited-375px');
    const stored = await http(app).get(`/api/v1/defaults/${prefix}theme`).set(bearer(admin.accessToken));
    expect(stored.body).toMatchObject({ value: 'solarized', matchedContext: '' });

    await global.getByRole('button', { name: 'History' }).click();
    const entries = global.getByTestId('history-entry');
    await entries.nth(1).waitFor();
    expect(await entries.count()).toBe(2);
    // Newest first: the edit, from the old value to the new one.
    expect(await entries.first().textContent()).toMatch(/upsert.*"light".*→.*"solarized"/s);
    expect(await entries.nth(1).textContent()).toMatch(/upsert.*—.*→.*"light"/s);
    await shot(page, '03-default-history-375px');

    // Nothing is wider than the phone's screen, with the edit form and history open.
    await rowOf(page, `${prefix}theme`, 'team=ops').getByRole('button', { name: 'Edit' }).click();
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    await page.close();
  });

  it('shows API problems next to the form that caused them: a conflicting edit (412), a bad context (400)', async () => {
    const page = await openAs(admin);
    await page.getByRole('link', { name: 'Defaults' }).click();
    await page.getByLabel('Key starts with').fill(prefix);
    await page.getByRole('button', { name: 'Search' }).click();
    const row = rowOf(page, `${prefix}pagesize`, '');
    await row.getByRole('button', { name: 'Edit' }).click();
    // Someone else changes the value after the form was opened.
    await http(app)
      .put(`/api/v1/defaults/${prefix}pagesize`)
      .set(bearer(admin.accessToken))
      .send({ value: 50 })
      .expect(200);
    await row.getByLabel('Value (JSON)').fill('100');
    await row.getByRole('button', { name: 'Save' }).click();
    const msg = row.locator('form .msg.error');
    await msg.waitFor();
    expect(await msg.textContent()).toMatch(/changed this default after you opened it.*version 2/);
    const stored = await http(app).get(`/api/v1/defaults/${prefix}pagesize`).set(bearer(admin.accessToken));
    expect(stored.body.value).toBe(50);
    await shot(page, '04-default-conflict');

    // "Set a default": the API's problem+json (a bad context) appears next to that form.
    const form = page.getByRole('form', { name: 'Set a default' });
    await form.getByLabel('Key').fill(`${prefix}density`);
    await form.getByLabel('Context').fill('team');
    await form.getByLabel('Value (JSON)').fill('"compact"');
    await form.getByRole('button', { name: 'Save default' }).click();
    const error = form.locator('.msg.error');
    await error.waitFor();
    expect(await error.textContent()).toBe('The context is not valid: attribute "team" is not name=value');
    await shot(page, '05-set-default-error');
    await form.getByLabel('Context').fill('team=web');
    await form.getByRole('button', { name: 'Save default' }).click();
    await form.locator('.msg.ok').filter({ hasText: 'version 1' }).waitFor();
    await rowOf(page, `${prefix}density`, 'team=web')
      .getByTestId('default-value')
      .filter({ hasText: '"compact"' })
      .waitFor();
    expect(await page.getByTestId('default-row').count()).toBe(1);
    await page.close();
  });

  it('lists feedback submitted through the API, opens it and triages it', async () => {
    const message = `The export button does nothing (${tag})`;
    const sent = await http(app)
      .post('/api/v1/feedback')
      .set(bearer(user.accessToken))
      .send({ type: 'bug', message, rating: 2, appVersion: '2.4.1' });
    expect(sent.status).toBe(201);

    const page = await openAs(admin);
    await page.getByRole('link', { name: 'Feedback' }).click();
    await page.getByRole('heading', { name: 'Feedback inbox' }).waitFor();
    await page.getByLabel('Message contains').fill(tag);
    await page.getByRole('button', { name: 'Filter' }).click();
    const item = page.getByTestId('feedback-item').filter({ hasText: tag });
    await item.waitFor();
    expect(await page.getByTestId('feedback-item').count()).toBe(1);
    expect(await item.getByTestId('feedback-status').textContent()).toBe('new');
    await shot(page, '06-feedback-inbox');

    await item.getByRole('button', { name: 'Open' }).click();
    const detail = item.getByTestId('feedback-detail');
    await detail.getByText(message).waitFor();
    expect(await detail.textContent()).toMatch(/Rating2 \/ 5.*App version2\.4\.1/s);
    await detail.getByLabel('Status').selectOption('triaged');
    await detail.getByRole('button', { name: 'Save status' }).click();
    await item.getByTestId('feedback-status').filter({ hasText: 'triaged' }).waitFor();
    expect((await http(app).get(`/api/v1/feedback/${sent.body.id}`).set(bearer(admin.accessToken))).body.status).toBe(
      'triaged',
    );
    await shot(page, '07-feedback-triaged');

    // The status filter: gone from "new", listed under "triaged".
    const filters = page.getByRole('search', { name: 'Filter feedback' });
    await filters.getByLabel('Status').selectOption('new');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByTestId('no-feedback').waitFor();
    await filters.getByLabel('Status').selectOption('triaged');
    await page.getByRole('button', { name: 'Filter' }).click();
    await item.waitFor();
    await shot(page, '08-feedback-filtered');
    await page.close();
  });

  it('pages through a long list of defaults', async () => {
    const items = Array.from({ length: 22 }, (_, i) => ({
      op: 'upsert',
      key: `web${tag}.bulk.k${String(i).padStart(2, '0')}`,
      value: i,
    }));
    await http(app).post('/api/v1/defaults/batch').set(bearer(admin.accessToken)).send({ items }).expect(200);
    const page = await openAs(admin);
    await page.getByRole('link', { name: 'Defaults' }).click();
    await page.getByLabel('Key starts with').fill(`web${tag}.bulk.`);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByText('Page 1 of 2 · 22 total').waitFor();
    expect(await page.getByTestId('default-row').count()).toBe(20);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('Page 2 of 2 · 22 total').waitFor();
    expect(
      await page
        .locator('[data-testid="default-row"]')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key'))),
    ).toEqual([`web${tag}.bulk.k20`, `web${tag}.bulk.k21`]);
    await page.close();
  });

  it('does not offer the admin views to a plain user', async () => {
    const page = await openAs(user);
    expect(await page.getByRole('link', { name: 'Defaults' }).count()).toBe(0);
    await page.goto(base + '/#/admin/feedback');
    await page.getByText('This page is for administrators.').waitFor();
    await page.close();
  });

  it('runs under the strict Content-Security-Policy without violations', () => {
    expect(cspViolations).toEqual([]);
  });
});

import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createServer, Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { AUTH_TEST_ENV, bearer, createUser, PASSWORD, uniqueEmail } from '../support/auth';
import { bootApp } from '../support/app';
import { horizontalOverflow, launchBrowser, screenshot } from '../support/browser';
import { FixtureSite } from '../ingestion/fixture-site';

const shot = (page: Page, name: string) => screenshot(page, 'web-client', name);

/** The web client in real Chromium against the real API (dist/web from `npm run build`). */
describe('web client (Chromium)', () => {
  let app: NestFastifyApplication;
  let browser: Browser;
  let base: string;
  let site: Server;
  let siteUrl: string;
  let slowSite: FixtureSite;
  const cspViolations: string[] = [];

  beforeAll(async () => {
    // A two-page site for the crawl-and-ask flow, served by the test on loopback.
    const pages: Record<string, string> = {
      '/': '<html lang="en"><head><title>Quokka guide</title></head><body><h1>Quokka guide</h1><p>Read about <a href="/habitat">where quokkas live</a>.</p></body></html>',
      // A Sphinx-like page: sidebar table of contents, "¶" permalinks, a footnote marker and bold
      // text, none of which may reach the answer or the citations.
      '/habitat':
        '<html lang="en"><head><title>Quokka habitat</title></head><body>' +
        '<div class="sphinxsidebar" role="navigation"><h3>Table of contents</h3><ul><li><a href="/">Quokka guide</a></li><li><a href="/habitat">Habitat</a></li></ul></div>' +
        '<div class="body" role="main"><h1>Habitat<a class="headerlink" href="#habitat" title="Permalink to this heading">¶</a></h1>' +
        '<p><strong>Quokkas</strong> live on Rottnest Island, off the coast of Western Australia, in dense scrubland near fresh water.<a class="footnote-reference brackets" href="#f1">[1]</a></p>' +
        '<p>Small colonies of quokkas also live on Bald Island and in the forests of the mainland.</p></div></body></html>',
    };
    site = createServer((req, res) => {
      const body = pages[req.url ?? ''];
      if (body) res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body);
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => site.listen(0, '127.0.0.1', () => r()));
    siteUrl = `http://127.0.0.1:${(site.address() as { port: number }).port}/`;
    // An endless chain of pages answered slowly, so a crawl of it is still running when cancelled.
    slowSite = await new FixtureSite().start();
    slowSite.manyDelayMs = 400;
    app = await bootApp({ ...AUTH_TEST_ENV, CRAWLER_ALLOW_PRIVATE_NETWORKS: 'true', CRAWLER_POLITENESS_DELAY_MS: '0' });
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await new Promise((r) => site?.close(r));
    await slowSite?.stop();
  });

  async function newPage(width = 1280): Promise<Page> {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });
    await page.goto(base + '/');
    return page;
  }

  async function register(page: Page, email: string): Promise<void> {
    await page.getByRole('button', { name: 'New here? Create an account' }).click();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'Sources' }).waitFor();
  }

  async function logIn(page: Page, email: string): Promise<void> {
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Sources' }).waitFor();
  }

  it('registers, lands on the sources page, and logs out', async () => {
    const page = await newPage();
    await shot(page, '01-login');
    await register(page, uniqueEmail('web'));
    await page.getByTestId('no-sources').waitFor();
    // A plain user is not offered the admin views.
    expect(await page.getByRole('link', { name: 'Defaults' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Feedback' }).count()).toBe(0);
    await shot(page, '02-registered-empty-sources');
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Welcome to nexcore' }).waitFor();
    await shot(page, '03-logged-out');
    await page.close();
  });

  it('shows API errors next to the form that caused them', async () => {
    const page = await newPage();
    await page.getByLabel('Email').fill(uniqueEmail('nobody'));
    await page.getByLabel('Password').fill('wrong-password-123');
    await page.getByRole('button', { name: 'Log in' }).click();
    const msg = page.locator('form[aria-label="Sign in"] .msg.error');
    await msg.waitFor();
    expect(await msg.textContent()).toMatch(/invalid|incorrect|credentials/i);
    await shot(page, '04-login-error');
    await page.close();
  });

  it('creates an API key whose secret is shown once, then revokes it', async () => {
    const page = await newPage(375);
    await register(page, uniqueEmail('keys'));
    await page.getByRole('link', { name: 'API keys' }).click();
    await page.getByLabel('Name').fill('ci key');
    await page.getByLabel('profile:read').check();
    await page.getByRole('button', { name: 'Create key' }).click();
    const secret = await page.getByTestId('new-secret').textContent();
    await shot(page, '05-key-created-375px');
    expect(secret).toMatch(/^nxk_[0-9a-f]+_[0-9a-f]+$/);
    // The secret works against the API and is not shown again after a reload of the list.
    const res = await fetch(`${base}/api/v1/auth/me`, { headers: { 'x-api-key': secret! } });
    expect(res.status).toBe(200);
    // Revoking asks first; "Keep" backs out without revoking.
    await page.getByRole('button', { name: 'Revoke' }).click();
    await page.getByRole('button', { name: 'Keep' }).click();
    expect((await fetch(`${base}/api/v1/auth/me`, { headers: { 'x-api-key': secret! } })).status).toBe(200);
    await page.getByRole('button', { name: 'Revoke' }).click();
    await page.getByRole('button', { name: 'Yes, revoke' }).click();
    await page.getByText('No API keys yet.').waitFor();
    await shot(page, '06-key-revoked-375px');
    expect((await fetch(`${base}/api/v1/auth/me`, { headers: { 'x-api-key': secret! } })).status).toBe(401);
    // Usable at phone width: nothing wider than the viewport.
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await page.close();
  });

  it('adds a site, watches the crawl finish, and asks with a streamed, cited answer', async () => {
    const page = await newPage();
    await register(page, uniqueEmail('ask'));
    await page.getByLabel('URL').fill(siteUrl);
    await page.getByLabel('Max pages').fill('5');
    await page.getByRole('button', { name: 'Crawl it' }).click();
    const status = page.getByTestId('job-status').first();
    // Locator waits, not waitForFunction: the app's CSP forbids eval, which that helper needs.
    await page
      .getByTestId('job-status')
      .filter({ hasText: /completed|failed/ })
      .first()
      .waitFor({ timeout: 30000 });
    expect(await status.textContent()).toBe('completed');
    expect(await page.getByTestId('job-counters').first().textContent()).toMatch(/indexed [12]/);
    await shot(page, '07-crawl-completed');

    await page.getByRole('link', { name: 'Ask' }).click();
    await page.getByPlaceholder('Ask about your sources…').fill('Where do quokkas live?');
    await page.getByRole('button', { name: 'Ask', exact: true }).click();
    await page.getByTestId('citation').first().waitFor();
    await page
      .getByTestId('answer')
      .filter({ hasText: /Rottnest/ })
      .waitFor();
    expect(await page.getByTestId('citation').first().textContent()).toMatch(/Quokka/);
    // [n] markers in the answer link to their citation.
    const marker = page.locator('[data-testid="answer"] a.marker').first();
    expect(await marker.getAttribute('href')).toMatch(/^#cite-\d+$/);
    // A clean answer: no permalink signs or markdown, and every [n] is one of its citation links
    // (the page's footnote marker "[1]" is not carried along).
    const answerText = (await page.getByTestId('answer').textContent()) ?? '';
    expect(answerText).not.toMatch(/¶|\*\*/);
    const markers = await page.locator('[data-testid="answer"] a.marker').allTextContents();
    expect(answerText.match(/\[\d+\]/g)).toEqual(markers);
    // Clean citations: the list numbers them (li value = n), so no item repeats "[n]" ("1. [1] …"),
    // and no "¶" or "**" in title, heading or snippet; the question's terms are in <mark>.
    const citations = await page.getByTestId('citation').allTextContents();
    expect(citations.length).toBeGreaterThan(0);
    for (const text of citations) expect(text).not.toMatch(/¶|\*\*|\[\d+\]/);
    expect(await page.getByTestId('citation').first().getAttribute('value')).toBe('1');
    const marks = await page.locator('[data-testid="citation"] mark').allTextContents();
    expect(marks.length).toBeGreaterThan(0);
    for (const m of marks) expect(m.toLowerCase()).toMatch(/quokka|live/);
    await shot(page, '08-answer-with-citations');
    await page.close();
  });

  it('says why a crawl failed: a start page robots.txt disallows ends failed with the reason on the row', async () => {
    const user = await createUser(app);
    const page = await newPage();
    await logIn(page, user.email);
    // The fixture's robots.txt disallows /private: nothing can be crawled (was: "completed", 0 pages, no reason).
    await page.getByLabel('URL').fill(`${slowSite.origin}/private/secret`);
    await page.getByRole('button', { name: 'Crawl it' }).click();
    const row = page.getByTestId('source').filter({ hasText: `${slowSite.origin}/private/secret` });
    await row
      .getByTestId('job-status')
      .filter({ hasText: /completed|failed/ })
      .waitFor({ timeout: 30000 });
    expect(await row.getByTestId('job-status').textContent()).toBe('failed');
    const error = row.getByTestId('job-error');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/Crawl failed: .*robots\.txt disallows the start page/);
    await shot(page, '08-crawl-failed-reason');
    await page.close();
  });

  it('cancels a running crawl, recrawls, and deletes the source after confirming', async () => {
    const user = await createUser(app);
    const page = await newPage();
    await logIn(page, user.email);
    await page.getByLabel('URL').fill(`${slowSite.origin}/many/1`);
    await page.getByLabel('Max pages').fill('100');
    await page.getByRole('button', { name: 'Crawl it' }).click();
    const row = page.getByTestId('source').filter({ hasText: `${slowSite.origin}/many/1` });
    const status = row.getByTestId('job-status');
    // Live progress: the row shows the crawl running and counting before anyone reloads.
    await status.filter({ hasText: 'running' }).waitFor({ timeout: 20000 });
    await row
      .getByTestId('job-counters')
      .filter({ hasText: /fetched [1-9]/ })
      .waitFor({ timeout: 20000 });
    await shot(page, '09-crawl-running');
    const sourceId = (await row.getAttribute('data-source-id'))!;
    const firstJob = await jobOf(sourceId, user.accessToken);

    await row.getByRole('button', { name: 'Cancel crawl' }).click();
    await status.filter({ hasText: 'cancelled' }).waitFor();
    expect((await jobOf(sourceId, user.accessToken)).status).toBe('cancelled');
    await shot(page, '10-crawl-cancelled');

    await row.getByRole('button', { name: 'Recrawl' }).click();
    await status.filter({ hasText: /queued|running/ }).waitFor();
    const second = await jobOf(sourceId, user.accessToken);
    expect(second.id).not.toBe(firstJob.id);
    expect(['queued', 'running']).toContain(second.status);
    await shot(page, '11-recrawl-started');

    // Delete asks first; "Keep" leaves the source alone.
    await row.getByRole('button', { name: 'Delete' }).click();
    await row.getByRole('button', { name: 'Keep' }).click();
    expect((await fetch(`${base}/api/v1/sources/${sourceId}`, { headers: bearer(user.accessToken) })).status).toBe(200);
    await row.getByRole('button', { name: 'Delete' }).click();
    await shot(page, '12-delete-confirm');
    await row.getByRole('button', { name: 'Yes, delete' }).click();
    await page.getByTestId('no-sources').waitFor();
    expect(await page.getByTestId('source').count()).toBe(0);
    expect((await fetch(`${base}/api/v1/sources/${sourceId}`, { headers: bearer(user.accessToken) })).status).toBe(404);
    await shot(page, '13-source-deleted');
    await page.close();
  });

  async function jobOf(sourceId: string, token: string): Promise<{ id: string; status: string }> {
    const res = await fetch(`${base}/api/v1/sources/${sourceId}`, { headers: bearer(token) });
    return ((await res.json()) as { job: { id: string; status: string } }).job;
  }

  it('serves the page under a CSP without inline script or style, and runs without violations', async () => {
    const res = await fetch(`${base}/`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).toMatch(/style-src 'self'(;|$)/);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(cspViolations).toEqual([]);
  });
});

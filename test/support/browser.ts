import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Where browser tests leave their screenshots (git-ignored), one folder per spec. */
export const SCREENSHOT_DIR = join(__dirname, '..', '..', 'test-output');

/** Debian's Chromium (apt-get install chromium), with the flags this sandboxed, offline machine needs. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Saves a full-page screenshot as test-output/<folder>/<name>.png, for a person to look at. */
export async function screenshot(page: Page, folder: string, name: string): Promise<void> {
  const dir = join(SCREENSHOT_DIR, folder);
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}

/** How far the page is wider than its viewport (0 = no horizontal scrolling). */
export function horizontalOverflow(page: Page): Promise<number> {
  // A string expression: test files are compiled for Node, without the DOM types.
  return page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
}

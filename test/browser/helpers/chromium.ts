import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, type Page, chromium } from 'playwright-core';

/** Debian's Chromium, never a downloaded browser; the tests skip without it. */
export const CHROMIUM = process.env.LNPAYD_CHROMIUM;
export const SKIP_WITHOUT_CHROMIUM = CHROMIUM ? false : 'set LNPAYD_CHROMIUM=/usr/bin/chromium to run the browser tests';

export const SCREENSHOTS = join(import.meta.dirname, '../../../artifacts/screenshots');

// Without the background-networking flags Chromium keeps calling Google's services.
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Uncaught page errors and console errors (CSP violations are reported there). */
  problems: string[];
  close(): Promise<void>;
}

/** Headless Chromium with a fresh profile that is removed on close. */
export async function openBrowser(): Promise<Browser> {
  if (!CHROMIUM) throw new Error('LNPAYD_CHROMIUM is not set');
  const profile = await mkdtemp(join(tmpdir(), 'lnpayd-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1200, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (message) => {
    // API errors the tests provoke on purpose are logged as failed loads; anything else (a CSP refusal) is a problem.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource: the server responded with a status of 4')) {
      problems.push(`console: ${message.text()}`);
    }
  });
  await mkdir(SCREENSHOTS, { recursive: true });
  return {
    context,
    page,
    problems,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** Retries a check until it passes (the page updates asynchronously); fails with its last error. */
export async function eventually(check: () => Promise<void>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** The element's text now (the first match; '' when there is none yet). */
export async function textOf(page: Page, selector: string): Promise<string> {
  const element = page.locator(selector).first();
  return (await element.count()) > 0 ? ((await element.textContent()) ?? '') : '';
}

/** Waits until the element's text matches. */
export function hasText(page: Page, selector: string, expected: string | RegExp): Promise<void> {
  return eventually(async () => {
    const text = await textOf(page, selector);
    if (typeof expected === 'string') assert.equal(text, expected, selector);
    else assert.match(text, expected, selector);
  });
}

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { rm } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import jsqr from 'jsqr';
import type { Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { checkLedger } from '../../src/ledger/invariants.ts';
import { createTestDatabase, newDataDir, openDatabase } from '../helpers/database.ts';
import { type LnpaydProcess, apiCall, spawnLnpayd } from '../helpers/process.ts';
import { Receiver } from '../helpers/receiver.ts';
import { type Browser, SCREENSHOTS, SKIP_WITHOUT_CHROMIUM, eventually, hasText, openBrowser, textOf } from './helpers/chromium.ts';

/** Reads the QR code in an element's screenshot, as a phone camera would. */
async function readQr(page: Page, selector: string): Promise<string | undefined> {
  const png = PNG.sync.read(await page.locator(selector).screenshot({ path: join(SCREENSHOTS, 'invoice-qr.png') }));
  return jsqr.default(new Uint8ClampedArray(png.data), png.width, png.height)?.data;
}

describe('dashboard in headless Chromium, lnpayd started as `npm start` does', { skip: SKIP_WITHOUT_CHROMIUM }, () => {
  let dataDir: string;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let lnpayd: LnpaydProcess;
  let dashboardUrl: string;
  let sak: string;
  let pak: string;
  let browser: Browser;
  let page: Page;

  before(async () => {
    dataDir = await newDataDir('lnpayd-browser-');
    database = await createTestDatabase();
    lnpayd = await spawnLnpayd({ DATA_DIR: dataDir, ...(database ? { DATABASE_URL: database.url } : {}) });
    // What a new user reads on the terminal at the first start.
    const printed = lnpayd.output();
    dashboardUrl = printed.match(/Dashboard: (\S+)/)?.[1] ?? '';
    sak = printed.match(/secret key: (sak_\w+)/)?.[1] ?? '';
    pak = printed.match(/public key: (pak_\w+)/)?.[1] ?? '';
    assert.equal(dashboardUrl, `${lnpayd.url}/dashboard`, printed);
    browser = await openBrowser();
    page = browser.page;
  });
  after(async () => {
    await browser?.close();
    await lnpayd?.stop();
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const call = (method: string, path: string, body?: unknown) => apiCall(lnpayd.url, sak, method, path, body);

  async function signIn(key: string) {
    await page.goto(dashboardUrl);
    await page.getByLabel('Secret key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  async function firstWallet() {
    return (await call('GET', '/v1/wallets')).body[0];
  }

  test('the page is served under a self-only Content-Security-Policy', async () => {
    const res = await fetch(dashboardUrl);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-security-policy') ?? '', /^default-src 'none'; script-src 'self'; style-src 'self'/);
    assert.match(await res.text(), /<body data-sandbox="true">/);
    const missing = await fetch(`${dashboardUrl}/nothing.js`);
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as { message: string }).message, 'Page not found.');
  });

  test('a wrong secret key shows the API message and keeps nothing', async () => {
    await signIn('sak_doesnotexist0000000000');
    await hasText(page, '#sign-in-form .error', 'Your request was made with invalid credentials.');
    assert.equal(await page.locator('#signed-in').isHidden(), true);
    assert.equal(await page.evaluate(() => sessionStorage.length + localStorage.length), 0);
    await signIn(pak);
    await hasText(page, '#sign-in-form .error', 'This is not a secret key: secret keys start with sak_.');
    await page.screenshot({ path: join(SCREENSHOTS, 'wrong-key.png') });
  });

  test('sign in, create a wallet, an invoice with its QR, sandbox-pay it: paid, balance up', async () => {
    await signIn(sak);
    await page.locator('#wallet-pager span').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'wallets-title', 'focus moves to the signed-in page');
    assert.equal(await page.evaluate(() => sessionStorage.getItem('lnpayd.secretKey')), sak);
    assert.equal(await page.evaluate(() => localStorage.length + document.cookie.length), 0);
    assert.deepEqual(await browser.context.cookies(), []);

    await page.getByLabel('New wallet label').fill('Coffee shop');
    await page.getByRole('button', { name: 'Create wallet' }).click();
    await page.getByText('shown only this once').waitFor();
    assert.match((await page.locator('#new-wallet-keys dt:text-is("Wallet Admin") + dd').textContent()) ?? '', /^waka_\w+$/);
    await page.getByRole('button', { name: 'Open wallet Coffee shop' }).click();
    await hasText(page, '#wallet-balance', '0');

    await page.getByLabel('Amount (sats)').fill('1234');
    await page.getByLabel('Memo').fill('Two espressos');
    await page.getByRole('button', { name: 'Create invoice' }).click();
    await hasText(page, '#invoice-status', 'Waiting for payment…');
    const paymentRequest = await page.locator('#invoice-pr').inputValue();
    assert.match(paymentRequest, /^lnbcrt12340n1/);
    await page.getByRole('img', { name: 'QR code of the payment request' }).waitFor();
    assert.equal((await readQr(page, '#invoice-qr svg'))?.toLowerCase(), paymentRequest);

    await page.getByRole('button', { name: 'Copy' }).click();
    await hasText(page, '#copy-result', /./);

    await page.getByRole('button', { name: 'Pay it from the sandbox' }).click();
    await hasText(page, '#invoice-status', /^Paid /);
    await hasText(page, '#wallet-balance', '1234');
    await hasText(page, '#wallet-table tbody tr:has-text("Coffee shop") td.num', '1234');
    assert.equal(await page.locator('#tx-table tbody tr').count(), 1);
    assert.match((await page.locator('#tx-table tbody tr').textContent()) ?? '', /LN Deposit1234Two espressos1234/);
    assert.equal(await page.getByRole('button', { name: 'Pay it from the sandbox' }).isHidden(), true);
    // From the top down to the paid invoice: the picture in the README (docs/dashboard.png).
    await page.evaluate(() => window.scrollTo(0, 0));
    const wallet = await page.locator('#wallet').boundingBox();
    assert.ok(wallet);
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard.png'), fullPage: true, clip: { x: 0, y: 0, width: 1200, height: wallet.y + wallet.height } });
  });

  test('an invoice paid elsewhere flips to paid by itself (live status)', async () => {
    await page.getByLabel('Amount (sats)').fill('66');
    await page.getByLabel('Memo').fill('');
    await page.getByRole('button', { name: 'Create invoice' }).click();
    await hasText(page, '#invoice-status', 'Waiting for payment…');
    const paymentRequest = await page.locator('#invoice-pr').inputValue();
    const paid = await call('POST', '/v1/sandbox/pay', { payment_request: paymentRequest });
    assert.equal(paid.status, 200, JSON.stringify(paid.body));
    await hasText(page, '#invoice-status', /^Paid /);
    await hasText(page, '#wallet-balance', '1300');
  });

  test('pay an invoice: the balance goes down by amount and fee; a bad invoice shows the API error', async () => {
    const outside = await call('POST', '/v1/sandbox/invoice', { num_satoshis: 100, memo: 'outside' });
    assert.equal(outside.status, 201, JSON.stringify(outside.body));
    await page.getByLabel('Invoice to pay (BOLT11)').fill(outside.body.payment_request);
    await page.getByRole('button', { name: 'Pay invoice' }).click();
    await hasText(page, '#pay-result', /^Paid 100 sats/);
    const wallet = await firstWallet();
    assert.ok(wallet.balance < 1200 && wallet.balance >= 1199, `1300 - 100 - routing fee, got ${wallet.balance}`);
    await hasText(page, '#wallet-balance', String(wallet.balance));

    await page.getByLabel('Invoice to pay (BOLT11)').fill('lnbc1garbage');
    await page.getByRole('button', { name: 'Pay invoice' }).click();
    const api = await call('POST', `/v1/wallet/${wallet.id}/withdraw`, { payment_request: 'lnbc1garbage' });
    assert.equal(api.status, 400);
    await hasText(page, '#pay-form .error', api.body.message);
  });

  test('transactions are paginated with the X-Pagination headers', async () => {
    const wallet = await firstWallet();
    for (let i = 0; i < 8; i++) {
      const invoice = await call('POST', `/v1/wallet/${wallet.id}/invoice`, { num_satoshis: 1 });
      const paid = await call('POST', '/v1/sandbox/pay', { payment_request: invoice.body.payment_request });
      assert.equal(paid.status, 200, JSON.stringify(paid.body));
    }
    await page.getByRole('button', { name: 'Open wallet Coffee shop' }).click();
    await hasText(page, '#tx-pager span', 'Page 1 of 2 · 12 transactions');
    assert.equal(await page.locator('#tx-table tbody tr').count(), 10);
    await page.locator('#tx-pager').getByRole('button', { name: 'Next page' }).click();
    await hasText(page, '#tx-pager span', 'Page 2 of 2 · 12 transactions');
    assert.equal(await page.locator('#tx-table tbody tr').count(), 2);
    assert.equal(await page.locator('#tx-pager').getByRole('button', { name: 'Next page' }).isDisabled(), true);
  });

  test('a webhook endpoint, its delivery, and redeliver', async () => {
    const receiver = await Receiver.start();
    try {
      await page.getByLabel('Endpoint URL').fill(receiver.url('/hook'));
      await page.getByLabel('Description').fill('shop backend');
      await page.getByRole('button', { name: 'Add endpoint' }).click();
      await hasText(page, '#webhook-table tbody tr', /shop backend/);
      assert.equal((await call('POST', '/v1/wallet', { user_label: 'hooked' })).status, 201);
      await page.getByRole('button', { name: `Deliveries to ${receiver.url('/hook')}` }).click();
      const row = '#delivery-table tbody tr:has-text("wallet_created")';
      await eventually(async () => {
        await page.getByRole('button', { name: 'Refresh' }).click();
        assert.equal(await textOf(page, `${row} td:nth-child(3)`), 'delivered');
      });
      assert.equal(receiver.hooks.length, 1);
      await page.locator(row).getByRole('button', { name: /^Redeliver wallet_created/ }).click();
      await eventually(async () => {
        await page.getByRole('button', { name: 'Refresh' }).click();
        assert.equal(await textOf(page, `${row} td.num`), '2');
      });
      assert.equal(receiver.hooks.length, 2);
      assert.equal(receiver.hooks[1]?.headers['x-lnpay-hookid'], receiver.hooks[0]?.headers['x-lnpay-hookid']);
      await page.screenshot({ path: join(SCREENSHOTS, 'webhooks.png'), fullPage: true });
    } finally {
      await receiver.close();
    }
  });

  test('sign out forgets the key; the page asks for it again', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await eventually(async () => assert.equal(await page.evaluate(() => document.activeElement?.id), 'secret-key'));
    assert.equal(await page.evaluate(() => sessionStorage.length), 0);
    await page.reload();
    await page.getByLabel('Secret key').waitFor();
    assert.equal(await page.locator('#signed-in').isHidden(), true);
    assert.deepEqual(browser.problems, []);
  });

  test('the ledger balances once lnpayd has stopped', async () => {
    assert.equal(await lnpayd.stop(), 0);
    const db = await openDatabase(dataDir, database?.url);
    try {
      assert.deepEqual((await checkLedger(db)).problems, []);
    } finally {
      await db.close();
    }
  });
});

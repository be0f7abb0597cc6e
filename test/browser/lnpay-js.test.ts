import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { Harness } from '../helpers/harness.ts';
import { type Browser, SKIP_WITHOUT_CHROMIUM, openBrowser } from './helpers/chromium.ts';

// lnpay-js 0.1.2's dist/lnpay.js from its npm tarball (.ci/run unpacks `npm pack lnpay-js@0.1.2`): installing
// the package would pull gulp and karma (~700 packages) into the lockfile for one 6 KB browser file.
const SDK = process.env.LNPAYD_LNPAY_JS;
const SKIP = SKIP_WITHOUT_CHROMIUM || (SDK ? false : 'set LNPAYD_LNPAY_JS to the dist/lnpay.js of lnpay-js 0.1.2');

/** A shop's page on another origin (localhost vs lnpayd's 127.0.0.1, another port) that loads lnpay-js. */
async function serveShopPage(): Promise<{ server: Server; url: string }> {
  const sdk = await readFile(SDK ?? '');
  const server = createServer((req, res) => {
    if (req.url === '/lnpay.js') return res.writeHead(200, { 'content-type': 'text/javascript' }).end(sdk);
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>shop</title><script src="/lnpay.js"></script>');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://localhost:${(server.address() as AddressInfo).port}/` };
}

interface SdkCall {
  /** `LNPayWallet` or `LNPayLnTx` constructed with `key`; without it, a function of the `LNPay` object. */
  helper?: 'LNPayWallet' | 'LNPayLnTx';
  key?: string;
  method: string;
  params?: unknown;
}

/** Calls lnpay-js in the page and resolves to what it hands its success callback. */
function sdk(page: Page, call: SdkCall): Promise<any> {
  return page.evaluate(
    (c) =>
      new Promise((resolve, reject) => {
        const w = window as any;
        const target = c.helper ? new w[c.helper](c.key) : w.LNPay;
        // lnpay-js only logs a failed fetch (a CORS refusal) and never calls back.
        setTimeout(() => reject(new Error(`lnpay-js ${c.method}: no answer`)), 10_000);
        if (c.params === undefined) target[c.method](resolve);
        else target[c.method](c.params, resolve);
      }),
    call,
  );
}

describe('lnpay-js in headless Chromium against lnpayd, cross-origin', { skip: SKIP }, () => {
  let h: Harness;
  let browser: Browser;
  let shop: { server: Server; url: string };
  let page: Page;

  before(async () => {
    h = await Harness.start();
    shop = await serveShopPage();
    browser = await openBrowser();
    page = browser.page;
    await page.goto(shop.url);
    await page.evaluate(
      ({ pak, endpoint }) => {
        const w = window as any;
        w.LNPay.Initialize(pak);
        w.LNPay.endpointUrl = endpoint;
      },
      { pak: h.pak, endpoint: `${h.url}/v1/` },
    );
  });
  after(async () => {
    await browser?.close();
    shop?.server.close();
    await h?.close();
  });

  test('createWallet, createInvoice (pak + waki), paid: getInfo, getTransactions, LnTx getInfo', async () => {
    assert.equal(await page.evaluate(() => (window as any).LNPay.VERSION), 'js0.1.0');
    const wallet = await sdk(page, { method: 'createWallet', params: { user_label: 'from lnpay-js' } });
    assert.match(wallet.id, /^wal_/);
    assert.equal(wallet.user_label, 'from lnpay-js');
    const keys = wallet.access_keys;

    const invoice = await sdk(page, { helper: 'LNPayWallet', key: keys['Wallet Invoice'][0], method: 'createInvoice', params: { num_satoshis: 21, memo: 'sticker' } });
    assert.match(invoice.id, /^lntx_/);
    assert.match(invoice.payment_request, /^lnbcrt210n1/);
    assert.equal(invoice.settled, 0);
    assert.equal(invoice.passThru.wallet_id, wallet.id);

    const paid = await h.request('POST', '/v1/sandbox/pay', { key: h.sak, body: { payment_request: invoice.payment_request } });
    assert.equal(paid.status, 200, paid.text);

    const lntx = await sdk(page, { helper: 'LNPayLnTx', key: invoice.id, method: 'getInfo' });
    assert.equal(lntx.settled, 1);
    assert.equal(lntx.num_satoshis, 21);
    const info = await sdk(page, { helper: 'LNPayWallet', key: keys['Wallet Read'][0], method: 'getInfo' });
    assert.equal(info.id, wallet.id);
    assert.equal(info.balance, 21);
    const txs = await sdk(page, { helper: 'LNPayWallet', key: keys['Wallet Read'][0], method: 'getTransactions', params: {} });
    assert.equal(txs.length, 1);
    assert.equal(txs[0].wtxType.name, 'ln_deposit');
    assert.equal(txs[0].lnTx.id, invoice.id);
  });

  test('payInvoice, internalTransfer and getLnurl with the wallet admin / LNURL keys', async () => {
    const wallet = await h.createWallet('payer');
    const other = await h.createWallet('payee');
    await h.fund(wallet, 500);

    const outside = await h.request('POST', '/v1/sandbox/invoice', { key: h.sak, body: { num_satoshis: 100, memo: 'outside' } });
    const sent = await sdk(page, { helper: 'LNPayWallet', key: wallet.keys.admin, method: 'payInvoice', params: { payment_request: outside.body.payment_request } });
    assert.equal(sent.wtxType.name, 'ln_withdrawal');
    assert.equal(sent.num_satoshis, -100);

    const transfer = await sdk(page, { helper: 'LNPayWallet', key: wallet.keys.admin, method: 'internalTransfer', params: { dest_wallet_id: other.id, num_satoshis: 50, memo: 'split' } });
    assert.equal(transfer.wtx_transfer_out.num_satoshis, -50);
    assert.equal(transfer.wtx_transfer_in.wal.id, other.id);
    assert.equal(await h.balance(other), 50);

    const lnurl = await sdk(page, { helper: 'LNPayWallet', key: wallet.keys.lnurlWithdraw, method: 'getLnurl', params: { num_satoshis: 10 } });
    assert.match(lnurl.lnurl, /^LNURL1[02-9AC-HJ-NP-Z]+$/);
    assert.ok(lnurl.ott);
    await h.assertLedger();
  });

  test("errors reach the callback in LNPay's shape", async () => {
    const missing = await sdk(page, { helper: 'LNPayLnTx', key: 'lntx_doesnotexist', method: 'getInfo' });
    assert.deepEqual(missing, { name: 'Not Found', message: 'LnTx not found', code: 0, status: 404 });
    const badInvoice = await sdk(page, { helper: 'LNPayWallet', key: (await h.createWallet()).keys.admin, method: 'payInvoice', params: { payment_request: 'lnbc1nope' } });
    assert.equal(badInvoice.status, 400);
    assert.equal(typeof badInvoice.message, 'string');
    assert.deepEqual(browser.problems, []);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Harness } from './helpers/harness.ts';
import { LndStub } from './helpers/lndStub.ts';

// The page in a real browser is tested in test/browser/dashboard.test.ts; this checks what the server sends.
describe('dashboard files', () => {
  let h: Harness;
  before(async () => {
    h = await Harness.start();
  });
  after(() => h.close());

  test('/dashboard needs no key and comes with a self-only CSP; on the embedded node it offers the sandbox', async () => {
    const res = await h.request('GET', '/dashboard');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
    const csp = res.headers.get('content-security-policy') ?? '';
    for (const directive of ["default-src 'none'", "script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'", "form-action 'none'"]) {
      assert.ok(csp.includes(directive), `${directive} in ${csp}`);
    }
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.match(res.text, /<body data-sandbox="true">/);
    assert.doesNotMatch(res.text, /<script>|\sstyle=|\son\w+=/, 'no inline script, style or handler (the CSP would refuse them)');
  });

  test('every file the page refers to is served from memory with its type, the QR module from uqr', async () => {
    const page = (await h.request('GET', '/dashboard')).text;
    const app = (await h.request('GET', '/dashboard/app.js')).text;
    const referenced = new Set([...`${page}\n${app}`.matchAll(/["'](?:\/dashboard\/|\.\/)([\w.-]+\.(?:js|mjs|css|svg))["']/g)].map((m) => m[1] ?? ''));
    for (const file of ['app.js', 'style.css', 'icon.svg', 'api.js', 'dom.js', 'wallet.js', 'wallets.js', 'webhooks.js']) assert.ok(referenced.has(file), file);
    const types: Record<string, RegExp> = { js: /^text\/javascript/, mjs: /^text\/javascript/, css: /^text\/css/, svg: /^image\/svg\+xml/ };
    for (const file of [...referenced, 'qr.js', 'uqr.mjs']) {
      const res = await h.request('GET', `/dashboard/${file}`);
      assert.equal(res.status, 200, file);
      assert.match(res.headers.get('content-type') ?? '', types[file.split('.').pop() ?? ''] ?? /^$/, file);
    }
    assert.match((await h.request('GET', '/dashboard/uqr.mjs')).text, /export \{[^}]*\bencode\b/);
  });

  test('anything else under /dashboard is a 404 in LNPay shape, and the dashboard stays out of the OpenAPI document', async () => {
    for (const path of ['/dashboard/nothing.js', '/dashboard/..%2Fpackage.json', '/dashboard/index.html']) {
      const res = await h.request('GET', path);
      assert.equal(res.status, 404, path);
      assert.deepEqual(res.body, { name: 'Not Found', message: 'Page not found.', code: 0, status: 404 });
    }
    const doc = (await h.request('GET', '/openapi.json')).body;
    assert.deepEqual(Object.keys(doc.paths).filter((p) => p.startsWith('/dashboard')), []);
  });
});

describe('dashboard on the LND backend', () => {
  let stub: LndStub;
  let h: Harness;
  before(async () => {
    stub = await LndStub.start();
    h = await Harness.start({ LIGHTNING_BACKEND: 'lnd', LND_REST_URL: stub.url, LND_MACAROON: 'ab'.repeat(40), LND_NETWORK: 'regtest' });
  });
  after(async () => {
    await h?.close();
    await stub?.close();
  });

  test('the page does not offer the sandbox, which does not exist there', async () => {
    assert.match((await h.request('GET', '/dashboard')).text, /<body data-sandbox="false">/);
    assert.equal((await h.request('POST', '/v1/sandbox/pay', { key: h.sak, body: { payment_request: 'lnbcrt1' } })).status, 404);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Harness, type TestWallet } from './helpers/harness.ts';

const WALLET_KEYS = [
  'id', 'created_at', 'updated_at', 'user_label', 'balance', 'balance_msat', 'ln_node_id', 'default_lnurlpay_id',
  'statusType', 'walletType',
];

describe('wallets', () => {
  let h: Harness;
  before(async () => {
    h = await Harness.start();
  });
  after(() => h.close());

  test('create returns 201, the LNPay wallet shape and one key of each of the seven roles', async () => {
    const res = await h.request('POST', '/v1/wallet', { key: h.sak, body: { user_label: 'My Wallet' } });
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(Object.keys(res.body), [...WALLET_KEYS, 'access_keys']);
    assert.match(res.body.id, /^wal_[A-Za-z0-9]{14}$/);
    assert.equal(res.body.balance, 0);
    assert.equal(res.body.balance_msat, null);
    assert.deepEqual(res.body.statusType, { type: 'wallet', name: 'active', display_name: 'Active' });
    assert.deepEqual(res.body.walletType, { name: 'generic_wallet', display_name: 'Generic Wallet' });
    const prefixes: Record<string, RegExp> = {
      'Wallet Admin': /^waka_\w{24}$/,
      'Wallet Invoice': /^waki_\w{24}$/,
      'Wallet Read': /^wakr_\w{24}$/,
      'Wallet LNURL Withdraw': /^waklw_\w{24}$/,
      'Wallet LNURL Pay': /^waklp_\w{24}$/,
      'Wallet External Website Admin': /^wakewa_\w{24}$/,
      'Wallet External Website View': /^wakewv_\w{24}$/,
    };
    assert.deepEqual(Object.keys(res.body.access_keys), Object.keys(prefixes));
    for (const [role, pattern] of Object.entries(prefixes)) assert.match(res.body.access_keys[role][0], pattern);
  });

  test('the public key may create wallets too (as LNPay allowed)', async () => {
    const res = await h.request('POST', '/v1/wallet', { key: h.pak, body: { user_label: 'from pak' } });
    assert.equal(res.status, 201);
  });

  test('keys are stored hashed: no plaintext key is in the database', async () => {
    const w = await h.createWallet();
    const rows = await h.server.ctx.db.query<{ key_hash: string }>('select key_hash from wallet_keys where wallet_id = $1', [w.id]);
    assert.equal(rows.length, 7);
    for (const key of Object.values(w.keys)) assert.ok(!rows.some((r) => r.key_hash.includes(key)));
    const apiRows = await h.server.ctx.db.query<{ key_hash: string }>('select key_hash from api_keys');
    assert.ok(!apiRows.some((r) => r.key_hash === h.sak || r.key_hash === h.pak));
  });

  test('user_label is required; mass assignment of balance is ignored', async () => {
    const missing = await h.request('POST', '/v1/wallet', { key: h.sak, body: {} });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.message, 'Internal Label cannot be blank.');
    const sneaky = await h.request('POST', '/v1/wallet', { key: h.sak, body: { user_label: 'x', balance: 1000000 } });
    assert.equal(sneaky.status, 201);
    assert.equal(sneaky.body.balance, 0);
  });

  test('deterministic_identifier gives a stable walx_ id and refuses reuse', async () => {
    const first = await h.request('POST', '/v1/wallet', {
      key: h.sak,
      body: { user_label: 'd', deterministic_identifier: 'customer-42' },
    });
    assert.equal(first.status, 201);
    assert.match(first.body.id, /^walx_[0-9a-f]{14}$/);
    const again = await h.request('POST', '/v1/wallet', {
      key: h.sak,
      body: { user_label: 'd', deterministic_identifier: 'customer-42' },
    });
    assert.equal(again.status, 400);
    assert.equal(again.body.message, `External Identifier "${first.body.id}" has already been taken.`);
  });

  test('retrieve by id (sak) or by a read-capable key (pak); wallet_created event recorded', async () => {
    const w = await h.createWallet('read me');
    const bySak = await h.request('GET', `/v1/wallet/${w.id}`, { key: h.sak });
    assert.equal(bySak.status, 200);
    assert.deepEqual(Object.keys(bySak.body), WALLET_KEYS);
    assert.equal(bySak.body.user_label, 'read me');
    const byKey = await h.request('GET', `/v1/wallet/${w.keys.read}`, { key: h.pak });
    assert.equal(byKey.body.id, w.id);
    const events = await h.server.ctx.db.query<{ name: string; data: { wal: { id: string } } }>(
      "select name, data from events where name = 'wallet_created'",
    );
    assert.ok(events.some((e) => e.data.wal.id === w.id));
  });

  test('unknown wallets: 404 for the secret key, 401 for a public key', async () => {
    const sak = await h.request('GET', '/v1/wallet/wal_nothere', { key: h.sak });
    assert.equal(sak.status, 404);
    assert.equal(sak.body.message, 'Wallet not found: wal_nothere');
    const pak = await h.request('GET', '/v1/wallet/wakr_nothere', { key: h.pak });
    assert.equal(pak.status, 401);
  });

  test('list wallets (secret key only) is paginated with LNPay headers, clamped', async () => {
    for (let i = 0; i < 3; i++) await h.createWallet(`page ${i}`);
    const total = (await h.request('GET', '/v1/wallets', { key: h.sak })).headers.get('x-pagination-total-count');
    const res = await h.request('GET', '/v1/wallets?per-page=2&page=999', { key: h.sak });
    assert.equal(res.status, 200);
    assert.equal(res.body.length, Number(total) % 2 === 0 ? 2 : 1);
    assert.equal(res.headers.get('x-pagination-per-page'), '2');
    assert.equal(res.headers.get('x-pagination-current-page'), String(Math.ceil(Number(total) / 2)));
    assert.match(res.headers.get('link') ?? '', /rel=self.*rel=first.*rel=last.*rel=prev/);
    const zero = await h.request('GET', '/v1/wallets?per-page=0', { key: h.sak });
    assert.equal(zero.headers.get('x-pagination-per-page'), '1');
    const pak = await h.request('GET', '/v1/wallets', { key: h.pak });
    assert.equal(pak.status, 401);
    assert.equal(pak.body.message, 'This resource can only be access with secret access key.');
  });

  test('?sort= orders lists; newest first by default', async () => {
    const a = await h.createWallet('sort-a');
    const asc = await h.request('GET', '/v1/wallets?sort=created_at&per-page=50', { key: h.sak });
    const desc = await h.request('GET', '/v1/wallets?per-page=50', { key: h.sak });
    assert.equal(desc.body[0].id, a.id);
    assert.notEqual(asc.body[0].id, a.id);
  });
});

describe('authentication', () => {
  let h: Harness;
  let w: TestWallet;
  before(async () => {
    h = await Harness.start();
    w = await h.createWallet();
  });
  after(() => h.close());

  test('X-Api-Key header, access-token query and basic auth all work', async () => {
    assert.equal((await h.request('GET', `/v1/wallet/${w.id}`, { key: h.sak })).status, 200);
    assert.equal((await h.request('GET', `/v1/wallet/${w.id}?access-token=${h.sak}`)).status, 200);
    const basic = 'Basic ' + Buffer.from(`${h.sak}:`).toString('base64');
    assert.equal((await h.request('GET', `/v1/wallet/${w.id}`, { headers: { Authorization: basic } })).status, 200);
  });

  test('missing or unknown keys get 401 with WWW-Authenticate and LNPay\'s message', async () => {
    for (const key of [undefined, 'sak_wrong', 'nonsense', '']) {
      const res = await h.request('GET', `/v1/wallet/${w.id}`, { key });
      assert.equal(res.status, 401);
      assert.equal(res.headers.get('www-authenticate'), 'Basic realm="api"');
      assert.deepEqual(res.body, {
        name: 'Unauthorized',
        message: 'Your request was made with invalid credentials.',
        code: 0,
        status: 401,
      });
    }
  });

  test('the first credential present decides: a bad header is not rescued by a good query token', async () => {
    const res = await h.request('GET', `/v1/wallet/${w.id}?access-token=${h.sak}`, { key: 'sak_bad' });
    assert.equal(res.status, 401);
  });

  test('wallet keys are not API keys', async () => {
    const res = await h.request('GET', `/v1/wallet/${w.keys.read}`, { key: w.keys.admin });
    assert.equal(res.status, 401);
  });

  test('CORS: preflight needs no key; errors carry Access-Control-Allow-Origin', async () => {
    const pre = await h.request('OPTIONS', `/v1/wallet/${w.keys.invoice}/invoice`, {
      headers: {
        Origin: 'http://example.test',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type,x-api-key,x-lnpay-sdk',
      },
    });
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get('access-control-allow-origin'), '*');
    assert.match(pre.headers.get('access-control-allow-headers') ?? '', /x-api-key/);
    assert.equal(pre.headers.get('access-control-max-age'), '86400');
    const err = await h.request('GET', `/v1/wallet/${w.id}`, { headers: { Origin: 'http://example.test' } });
    assert.equal(err.status, 401);
    assert.equal(err.headers.get('access-control-allow-origin'), '*');
  });

  test('unknown routes answer 404 JSON', async () => {
    const res = await h.request('GET', '/v1/nothing-here', { key: h.sak });
    assert.equal(res.status, 404);
    assert.equal(res.body.status, 404);
  });
});

describe('permission matrix (pak + wallet key in the path)', () => {
  let h: Harness;
  let w: TestWallet;
  before(async () => {
    h = await Harness.start();
    w = await h.createWallet();
  });
  after(() => h.close());

  type Role = keyof TestWallet['keys'];
  const endpoints: { name: string; method: string; path: (key: string) => string; body?: unknown; allowed: Role[]; permission: string }[] = [
    { name: 'GET wallet', method: 'GET', path: (k) => `/v1/wallet/${k}`, allowed: ['admin', 'read', 'lnurlWithdraw', 'extAdmin', 'extView'], permission: 'wallet_read' },
    { name: 'GET transactions', method: 'GET', path: (k) => `/v1/wallet/${k}/transactions`, allowed: ['admin', 'read', 'lnurlWithdraw', 'extAdmin', 'extView'], permission: 'wallet_read' },
    { name: 'POST invoice', method: 'POST', path: (k) => `/v1/wallet/${k}/invoice`, body: { num_satoshis: 1 }, allowed: ['admin', 'invoice', 'lnurlPay', 'extAdmin'], permission: 'wallet_deposit' },
  ];
  const roles: Role[] = ['admin', 'invoice', 'read', 'lnurlWithdraw', 'lnurlPay', 'extAdmin', 'extView'];
  for (const e of endpoints) {
    for (const role of roles) {
      const ok = e.allowed.includes(role);
      test(`${e.name} with ${role} key → ${ok ? 'allowed' : '401'}`, async () => {
        const key = w.keys[role];
        const res = await h.request(e.method, e.path(key), { key: h.pak, body: e.body });
        if (ok) {
          assert.ok(res.status === 200 || res.status === 201, res.text);
        } else {
          assert.equal(res.status, 401);
          assert.equal(res.body.message, `${key.split('_')[0]}_ access key provided does not permission to do this: ${e.permission}`);
        }
      });
    }
  }
});

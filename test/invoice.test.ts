import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import bolt11 from 'bolt11';
import { decode as lightDecode } from 'light-bolt11-decoder';
import { Harness, type TestWallet } from './helpers/harness.ts';

const LNTX_KEYS = [
  'id', 'created_at', 'ln_node_id', 'dest_pubkey', 'payment_request', 'r_hash_decoded', 'memo', 'description_hash',
  'payment_addr', 'num_satoshis', 'fee_msat', 'expiry', 'expires_at', 'payment_preimage', 'settled', 'settled_at',
  'is_keysend', 'is_amp', 'custom_records', 'passThru',
];

describe('generate invoice (the seed page)', () => {
  let h: Harness;
  let wallet: TestWallet;
  before(async () => {
    h = await Harness.start();
    wallet = await h.createWallet('seed');
  });
  after(() => h.close());

  test("the seed's curl request (basic auth pak_, waki_ key, passThru string) returns 201 and the LnTx shape", async () => {
    const auth = 'Basic ' + Buffer.from(`${h.pak}:`).toString('base64');
    const res = await h.request('POST', `/v1/wallet/${wallet.keys.invoice}/invoice`, {
      headers: { Authorization: auth, 'Content-Type': 'application/json' },
      raw: '{"num_satoshis":5, "memo":"Test invoice from the docs","passThru":" {\\"ticketId\\":\\"556\\"} "}',
    });
    assert.equal(res.status, 201, res.text);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    assert.deepEqual(Object.keys(res.body), LNTX_KEYS);
    const t = res.body;
    assert.match(t.id, /^lntx_[A-Za-z0-9]{24}$/);
    assert.equal(t.num_satoshis, 5);
    assert.equal(t.memo, 'Test invoice from the docs');
    assert.equal(t.description_hash, null);
    assert.equal(t.expiry, 86400);
    assert.equal(t.expires_at, t.created_at + 86400);
    assert.equal(t.payment_preimage, null);
    assert.equal(t.settled, 0);
    assert.equal(t.settled_at, null);
    assert.equal(t.is_keysend, null);
    assert.equal(t.custom_records, null);
    assert.deepEqual(t.passThru, { ticketId: '556', wallet_id: wallet.id });
    assert.ok(Number.isInteger(t.created_at) && Math.abs(t.created_at - Date.now() / 1000) < 60);
    assert.match(t.r_hash_decoded, /^[0-9a-f]{64}$/);
    assert.match(t.dest_pubkey, /^0[23][0-9a-f]{64}$/);
  });

  test('the invoice decodes and verifies with two independent BOLT11 decoders', async () => {
    const t = await h.createInvoice(wallet, { num_satoshis: 21, memo: 'coffee', expiry: 600 });
    const d = bolt11.decode(t.payment_request);
    assert.equal(d.payeeNodeKey, t.dest_pubkey);
    assert.equal(d.satoshis, 21);
    assert.equal(d.timestamp, t.created_at);
    const tag = (name: string) => d.tags.find((x) => x.tagName === name)?.data;
    assert.equal(tag('payment_hash'), t.r_hash_decoded);
    assert.equal(tag('description'), 'coffee');
    assert.equal(tag('expire_time'), 600);
    assert.match(String(tag('payment_secret')), /^[0-9a-f]{64}$/);
    const l = lightDecode(t.payment_request);
    const section = (name: string) => l.sections.find((s: { name: string }) => s.name === name) as { value?: unknown } | undefined;
    assert.equal(section('amount')?.value, '21000');
    assert.equal(section('payment_hash')?.value, t.r_hash_decoded);
  });

  test('description_hash (hex or base64) is committed to instead of the memo and returned as hex', async () => {
    const hex = 'a'.repeat(64);
    const fromHex = await h.createInvoice(wallet, { num_satoshis: 3, memo: 'ignored', description_hash: hex });
    assert.equal(fromHex.description_hash, hex);
    const d = bolt11.decode(fromHex.payment_request);
    assert.equal(d.tags.find((x) => x.tagName === 'purpose_commit_hash')?.data, hex);
    assert.equal(d.tags.find((x) => x.tagName === 'description'), undefined);
    const b64 = Buffer.from('b'.repeat(64), 'hex').toString('base64');
    const fromB64 = await h.createInvoice(wallet, { num_satoshis: 3, description_hash: b64 });
    assert.equal(fromB64.description_hash, 'b'.repeat(64));
  });

  test('form-encoded bodies work like JSON (numbers as strings)', async () => {
    const res = await h.request('POST', `/v1/wallet/${wallet.keys.invoice}/invoice`, {
      key: h.pak,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      raw: 'num_satoshis=7&memo=form&passThru=%7B%22a%22%3A1%7D',
    });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.num_satoshis, 7);
    assert.deepEqual(res.body.passThru, { a: 1, wallet_id: wallet.id });
  });

  test('a caller-supplied wallet_id in passThru cannot redirect the credit', async () => {
    const t = await h.createInvoice(wallet, { num_satoshis: 1, passThru: { wallet_id: 'wal_evil' } });
    assert.equal(t.passThru.wallet_id, wallet.id);
  });

  const bad: [string, unknown, string][] = [
    ['missing num_satoshis', { memo: 'x' }, 'Num Satoshis cannot be blank.'],
    ['zero num_satoshis', { num_satoshis: 0 }, 'Num Satoshis must be greater than or equal to "1".'],
    ['negative num_satoshis', { num_satoshis: -5 }, 'Num Satoshis must be greater than or equal to "1".'],
    ['fractional num_satoshis', { num_satoshis: 1.5 }, 'Num Satoshis must be an integer.'],
    ['boolean num_satoshis', { num_satoshis: true }, 'Num Satoshis must be an integer.'],
    ['text num_satoshis', { num_satoshis: 'five' }, 'Num Satoshis must be an integer.'],
    ['huge num_satoshis', { num_satoshis: 1e20 }, 'Num Satoshis must be less than or equal to "9007199254740".'],
    ['over-long memo', { num_satoshis: 1, memo: 'm'.repeat(256) }, 'Memo should contain at most 255 characters.'],
    ['non-string memo', { num_satoshis: 1, memo: 5 }, 'Memo must be a string.'],
    ['short description_hash', { num_satoshis: 1, description_hash: 'abcd' }, 'Description Hash must be 64 hex characters or the base64 encoding of 32 bytes.'],
    ['base64 of 31 bytes', { num_satoshis: 1, description_hash: Buffer.alloc(31).toString('base64') }, 'Description Hash must be 64 hex characters or the base64 encoding of 32 bytes.'],
    ['passThru not JSON', { num_satoshis: 1, passThru: '{nope' }, 'passThru data must be valid json'],
    ['zero expiry', { num_satoshis: 1, expiry: 0 }, 'Expiry must be greater than or equal to "1".'],
    ['expiry over a year', { num_satoshis: 1, expiry: 31536001 }, 'Expiry must be less than or equal to "31536000".'],
    ['fractional expiry', { num_satoshis: 1, expiry: 1.5 }, 'Expiry must be an integer.'],
    ['body is an array', [1, 2], 'The request body must be a JSON object.'],
  ];
  for (const [name, body, message] of bad) {
    test(`rejects ${name} with 400 naming the field, and writes nothing`, async () => {
      const before = await h.server.ctx.db.query<{ n: number }>('select count(*)::int8 as n from lntx');
      const res = await h.request('POST', `/v1/wallet/${wallet.keys.invoice}/invoice`, { key: h.pak, body });
      assert.equal(res.status, 400, res.text);
      assert.deepEqual(res.body, { name: 'Bad Request', message, code: 0, status: 400 });
      const afterRows = await h.server.ctx.db.query<{ n: number }>('select count(*)::int8 as n from lntx');
      assert.equal(afterRows[0]?.n, before[0]?.n);
    });
  }

  test('malformed JSON gets 400 with the parser message', async () => {
    const res = await h.request('POST', `/v1/wallet/${wallet.keys.invoice}/invoice`, {
      key: h.pak,
      headers: { 'Content-Type': 'application/json' },
      raw: '{"num_satoshis":',
    });
    assert.equal(res.status, 400);
    assert.match(res.body.message, /^Invalid JSON data in request body: /);
  });

  test('an unsupported Content-Type gets 415 naming it', async () => {
    const res = await h.request('POST', `/v1/wallet/${wallet.keys.invoice}/invoice`, {
      key: h.pak,
      headers: { 'Content-Type': 'text/plain' },
      raw: '{"num_satoshis":5}',
    });
    assert.equal(res.status, 415, res.text);
    assert.match(res.body.message, /text\/plain/);
    assert.equal(res.body.name, 'Unsupported Media Type');
  });

  test('invoice keys of the wrong type are refused with LNPay messages', async () => {
    const read = await h.request('POST', `/v1/wallet/${wallet.keys.read}/invoice`, { key: h.pak, body: { num_satoshis: 1 } });
    assert.equal(read.status, 401);
    assert.equal(read.body.message, 'wakr_ access key provided does not permission to do this: wallet_deposit');
    const unknown = await h.request('POST', '/v1/wallet/waki_doesnotexist/invoice', { key: h.pak, body: { num_satoshis: 1 } });
    assert.equal(unknown.status, 401);
    assert.match(unknown.body.message, /^Invalid Wallet Access Key/);
    const byId = await h.request('POST', `/v1/wallet/${wallet.id}/invoice`, { key: h.pak, body: { num_satoshis: 1 } });
    assert.equal(byId.status, 401);
    const sakById = await h.request('POST', `/v1/wallet/${wallet.id}/invoice`, { key: h.sak, body: { num_satoshis: 1 } });
    assert.equal(sakById.status, 201);
  });
});

describe('receive limit', () => {
  test('MAX_RECEIVE_SATS refuses bigger invoices with LNPay\'s message', async () => {
    const h = await Harness.start({ MAX_RECEIVE_SATS: '100' });
    try {
      const w = await h.createWallet();
      const res = await h.request('POST', `/v1/wallet/${w.keys.invoice}/invoice`, { key: h.pak, body: { num_satoshis: 101 } });
      assert.equal(res.status, 400);
      assert.equal(res.body.message, 'Receiving is limited to: 100 satoshi per invoice');
      await h.createInvoice(w, { num_satoshis: 100 });
    } finally {
      await h.close();
    }
  });
});

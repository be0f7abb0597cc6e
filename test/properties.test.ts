import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import { bytesToHex } from '@noble/hashes/utils.js';
import fc from 'fast-check';
import type { FastifyRequest } from 'fastify';
import { generateKey } from '../src/access/keys.ts';
import { LEGACY_PREFIXES, WALLET_ROLES, isWalletRole, keyPrefix } from '../src/access/roles.ts';
import { extractCredential } from '../src/api/auth.ts';
import { parsePassThru } from '../src/api/passThru.ts';
import { MAX_SATOSHIS } from '../src/api/routes/invoices.ts';
import { Bolt11Error, NETWORKS, createSigner, decodeInvoice, encodeInvoice } from '../src/bolt11/index.ts';
import type { InvoiceFields } from '../src/bolt11/index.ts';
import { ApiError } from '../src/errors.ts';
import { Harness, type TestWallet } from './helpers/harness.ts';

/** Independent decoders (CommonJS) for the cross-check. */
const require = createRequire(import.meta.url);
const bolt11Npm = require('bolt11') as {
  decode(pr: string): { millisatoshis?: string | null; timestamp?: number; payeeNodeKey?: string; tagsObject: Record<string, unknown> };
};
const lightDecoder = require('light-bolt11-decoder') as {
  decode(pr: string): { sections: Array<{ name: string; value?: unknown }> };
};

const BECH32 = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const signer = createSigner(Uint8Array.from({ length: 32 }, (_, i) => i + 1));
const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 });
const description = fc.string({ unit: 'grapheme', maxLength: 80 }).filter((s) => Buffer.byteLength(s) <= 639);

const invoiceFields: fc.Arbitrary<InvoiceFields> = fc
  .record({
    network: fc.constantFrom(...NETWORKS),
    amountMsat: fc.option(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), { nil: null }),
    timestamp: fc.integer({ min: 0, max: 2 ** 35 - 1 }),
    paymentHash: bytes32,
    paymentSecret: bytes32,
    memo: fc.oneof(description.map((d) => ({ description: d })), bytes32.map((h) => ({ descriptionHash: h }))),
    expirySeconds: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
    minFinalCltvExpiry: fc.integer({ min: 0, max: 65_535 }),
    payeeNodeKey: fc.boolean(),
  })
  .map(({ memo, ...fields }) => ({ ...fields, ...memo }));

/** Decoding either succeeds or fails with the codec's own error, nothing else. */
function decodeOrBolt11Error(text: string): void {
  try {
    decodeInvoice(text);
  } catch (err) {
    if (!(err instanceof Bolt11Error)) throw err;
  }
}

describe('BOLT11 properties', () => {
  test('encode → decode gives back every field, signed by our key', () => {
    const pubkey = bytesToHex(signer.publicKey);
    fc.assert(
      fc.property(invoiceFields, (fields) => {
        const invoice = encodeInvoice(fields, signer);
        const decoded = decodeInvoice(invoice);
        assert.equal(decoded.paymentRequest, invoice);
        assert.equal(decoded.network, fields.network);
        assert.equal(decoded.amountMsat, fields.amountMsat);
        assert.equal(decoded.timestamp, fields.timestamp);
        assert.equal(decoded.paymentHash, bytesToHex(fields.paymentHash));
        assert.equal(decoded.paymentSecret, bytesToHex(fields.paymentSecret));
        assert.equal(decoded.description, fields.description ?? null);
        assert.equal(decoded.descriptionHash, fields.descriptionHash ? bytesToHex(fields.descriptionHash) : null);
        assert.equal(decoded.expirySeconds, fields.expirySeconds);
        assert.equal(decoded.expiresAt, fields.timestamp + fields.expirySeconds);
        assert.equal(decoded.minFinalCltvExpiry, fields.minFinalCltvExpiry);
        assert.equal(decoded.payeePubkey, pubkey);
        assert.equal(decodeInvoice(`lightning:${invoice.toUpperCase()}`).paymentHash, decoded.paymentHash);
      }),
    );
  });

  test('bolt11 and light-bolt11-decoder read the same amount, hash, time, description and payee', () => {
    const pubkey = bytesToHex(signer.publicKey);
    // bolt11 (npm) knows bc, tb, bcrt and sb; signet (tbs) is cross-checked in bolt11.test.ts.
    const known = invoiceFields.filter((f) => f.network !== 'tbs');
    fc.assert(
      fc.property(known, (fields) => {
        const invoice = encodeInvoice(fields, signer);
        const amount = fields.amountMsat === null ? null : String(fields.amountMsat);
        const b = bolt11Npm.decode(invoice);
        assert.equal(b.millisatoshis ?? null, amount);
        assert.equal(b.timestamp, fields.timestamp);
        assert.equal(b.payeeNodeKey, pubkey);
        assert.equal(b.tagsObject.payment_hash, bytesToHex(fields.paymentHash));
        assert.equal(b.tagsObject.description, fields.description);
        const section = (name: string) => lightDecoder.decode(invoice).sections.find((s) => s.name === name)?.value;
        assert.equal(section('amount') ?? null, amount);
        assert.equal(section('payment_hash'), bytesToHex(fields.paymentHash));
        assert.equal(section('timestamp'), fields.timestamp);
      }),
      { numRuns: 60 },
    );
  });

  test('arbitrary strings: decode succeeds or throws Bolt11Error, never anything else', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), decodeOrBolt11Error), { numRuns: 300 });
    const bech32ish = fc.string({ unit: fc.constantFrom(...`ln1${BECH32}`), maxLength: 400 });
    fc.assert(fc.property(bech32ish, (s) => decodeOrBolt11Error(`lnbc${s}`)), { numRuns: 300 });
  });

  test('mutated valid invoices: one changed, dropped or inserted character is refused with Bolt11Error', () => {
    const mutation = fc.record({
      fields: invoiceFields,
      at: fc.nat(),
      kind: fc.constantFrom('replace', 'delete', 'insert'),
      letter: fc.constantFrom(...BECH32),
    });
    fc.assert(
      fc.property(mutation, ({ fields, at, kind, letter }) => {
        const invoice = encodeInvoice(fields, signer);
        const i = at % invoice.length;
        const mutated =
          kind === 'delete'
            ? invoice.slice(0, i) + invoice.slice(i + 1)
            : invoice.slice(0, i) + letter + invoice.slice(kind === 'replace' ? i + 1 : i);
        fc.pre(mutated !== invoice);
        assert.throws(() => decodeInvoice(mutated), Bolt11Error);
      }),
      { numRuns: 200 },
    );
  });
});

/** JSON values of every kind, for what callers may send in a field. */
const anyJson = fc.jsonValue({ maxDepth: 3 });

describe('passThru parsing', () => {
  const passThruObject = fc.dictionary(fc.string({ maxLength: 12 }), anyJson, { maxKeys: 6 });

  test('an object, or a string holding its JSON (padded with whitespace), gives that object', () => {
    const padding = fc.string({ unit: fc.constantFrom(' ', '\t', '\n', '\r'), maxLength: 3 });
    fc.assert(
      fc.property(passThruObject, padding, padding, (object, left, right) => {
        assert.deepEqual(parsePassThru(object), object);
        assert.deepEqual(parsePassThru(left + JSON.stringify(object) + right), JSON.parse(JSON.stringify(object)));
      }),
    );
  });

  test('JSON that is not an object, and absent values, count as {}', () => {
    const notObject = anyJson.filter((v) => typeof v !== 'object' || v === null || Array.isArray(v));
    fc.assert(
      fc.property(notObject, (value) => {
        assert.deepEqual(parsePassThru(JSON.stringify(value)), {});
        if (typeof value !== 'string') assert.deepEqual(parsePassThru(value), {});
      }),
    );
    for (const absent of [undefined, null, '']) assert.deepEqual(parsePassThru(absent), {});
  });

  test('a string that is not JSON is a 400 naming passThru', () => {
    const notJson = fc.string({ minLength: 1, maxLength: 60 }).filter((s) => {
      try {
        JSON.parse(s);
        return false;
      } catch {
        return true;
      }
    });
    fc.assert(
      fc.property(notJson, (text) => {
        assert.throws(() => parsePassThru(text), (err) => err instanceof ApiError && err.status === 400 && /passThru/.test(err.message));
      }),
    );
  });
});

describe('over HTTP: amounts and keys', () => {
  let h: Harness;
  let wallet: TestWallet;
  before(async () => {
    h = await Harness.start();
    wallet = await h.createWallet('properties');
  });
  after(() => h.close());

  const inject = (options: { method: 'GET' | 'POST'; url: string; headers?: Record<string, string>; body?: unknown }) =>
    h.server.app.inject({
      method: options.method,
      url: options.url,
      headers: { ...options.headers, ...(options.body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(options.body === undefined ? {} : { payload: JSON.stringify({ num_satoshis: options.body }) }),
    });
  const invoiceCount = async () => Number((await h.server.ctx.db.query<{ n: string }>('select count(*) as n from lntx'))[0]?.n);

  test('num_satoshis: integers 1 … MAX_SATOSHIS (or their decimal strings) make an invoice, anything else is a 400 naming the field', async () => {
    const valid = fc.integer({ min: 1, max: MAX_SATOSHIS });
    const invalid = fc.oneof(
      fc.integer({ min: -(2 ** 40), max: 0 }),
      fc.integer({ min: MAX_SATOSHIS + 1, max: Number.MAX_SAFE_INTEGER }),
      fc.double({ noNaN: true }).filter((d) => !Number.isInteger(d)),
      fc.string({ maxLength: 20 }).filter((s) => !/^\s*[+-]?\d{1,16}\s*$/.test(s)),
      fc.constantFrom(true, false, null, [], {}, [5], { n: 5 }, '1e3', '0x10', '5.0', '+0', '99999999999999999'),
    );
    await fc.assert(
      fc.asyncProperty(fc.oneof(valid, valid.map(String), invalid), async (value) => {
        const before = await invoiceCount();
        const res = await inject({ method: 'POST', url: `/v1/wallet/${wallet.keys.invoice}/invoice`, headers: { 'x-api-key': h.pak }, body: value });
        const n = typeof value === 'string' ? Number(value) : value;
        const accepted = Number.isInteger(n) && (n as number) >= 1 && (n as number) <= MAX_SATOSHIS && (typeof value === 'number' || /^\s*[+-]?\d{1,16}\s*$/.test(value as string));
        if (accepted) {
          assert.equal(res.statusCode, 201, res.body);
          assert.equal(res.json().num_satoshis, n);
          assert.equal(await invoiceCount(), before + 1);
        } else {
          assert.equal(res.statusCode, 400, `${JSON.stringify(value)} → ${res.body}`);
          const body = res.json();
          assert.deepEqual(Object.keys(body).sort(), ['code', 'message', 'name', 'status']);
          assert.match(body.message, /^Num Satoshis /);
          assert.equal(await invoiceCount(), before);
        }
      }),
      { numRuns: 30 },
    );
  });

  test('a NUL character anywhere in a field (PostgreSQL text cannot hold it) is a 400 naming the field, nothing written', async () => {
    const withNul = fc.tuple(fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 })).map(([a, b]) => `${a}\u0000${b}`);
    const body = fc.oneof(
      withNul.map((memo) => ({ field: 'Memo', body: { num_satoshis: 1, memo } })),
      withNul.map((key) => ({ field: 'passThru', body: { num_satoshis: 1, passThru: { [key]: 1 } } })),
      withNul.map((v) => ({ field: 'passThru', body: { num_satoshis: 1, passThru: { nested: [v] } } })),
    );
    await fc.assert(
      fc.asyncProperty(body, async ({ field, body }) => {
        const before = await invoiceCount();
        const res = await h.server.app.inject({
          method: 'POST',
          url: `/v1/wallet/${wallet.keys.invoice}/invoice`,
          headers: { 'x-api-key': h.pak, 'content-type': 'application/json' },
          payload: JSON.stringify(body),
        });
        assert.equal(res.statusCode, 400, res.body);
        assert.equal(res.json().message, `${field} must not contain NUL characters.`);
        assert.equal(await invoiceCount(), before);
      }),
      { numRuns: 20 },
    );
    const query = await h.server.app.inject({ method: 'GET', url: `/v1/wallet/${wallet.keys.admin}/lnurl/withdraw?memo=a%00b`, headers: { 'x-api-key': h.sak } });
    assert.equal(query.statusCode, 400, query.body);
    assert.equal(query.json().message, 'Memo must not contain NUL characters.');
  });

  test('a payment the wallet cannot cover is a 400, even when amount + fee limit pass 2^53 msat', async () => {
    const outside = await h.request('POST', '/v1/sandbox/invoice', { key: h.sak, body: { num_satoshis: 1 } });
    const limits = fc.record({
      num_satoshis: fc.oneof(fc.integer({ min: 1, max: MAX_SATOSHIS }), fc.constant(MAX_SATOSHIS)),
      fee_limit_msat: fc.option(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), { nil: undefined }),
    });
    await fc.assert(
      fc.asyncProperty(limits, async (body) => {
        const res = await h.server.app.inject({
          method: 'POST',
          url: `/v1/wallet/${wallet.keys.admin}/keysend`,
          headers: { 'x-api-key': h.pak, 'content-type': 'application/json' },
          payload: JSON.stringify({ dest_pubkey: outside.body.dest_pubkey, ...body }),
        });
        assert.equal(res.statusCode, 400, res.body);
        assert.match(res.json().message, /^Invoice too large :\) Max balance: 0$/);
      }),
      { numRuns: 20 },
    );
  });

  test('any credential but a real API key, in any of the three places, is a 401 in LNPay\'s shape', async () => {
    const printable = fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 70 });
    const guess = fc.oneof(printable, printable.map((s) => `sak_${s}`), printable.map((s) => `pak_${s}`));
    await fc.assert(
      fc.asyncProperty(guess, fc.constantFrom('header', 'query', 'basic'), async (key, place) => {
        fc.pre(key !== h.sak && key !== h.pak);
        const res = await inject({
          method: 'GET',
          url: place === 'query' ? `/v1/wallets?access-token=${encodeURIComponent(key)}` : '/v1/wallets',
          headers:
            place === 'header'
              ? { 'x-api-key': key }
              : place === 'basic'
                ? { authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}` }
                : {},
        });
        assert.equal(res.statusCode, 401, res.body);
        assert.equal(res.json().status, 401);
      }),
      { numRuns: 80 },
    );
  });

  test('the first credential present decides: a bad header is not rescued by a good query or Basic key', async () => {
    const slot = fc.constantFrom('absent', 'good', 'bad');
    await fc.assert(
      fc.asyncProperty(slot, slot, slot, async (header, query, basic) => {
        const key = (s: string) => (s === 'good' ? h.sak : 'sak_wrong');
        const res = await inject({
          method: 'GET',
          url: query === 'absent' ? '/v1/wallets' : `/v1/wallets?access-token=${key(query)}`,
          headers: {
            ...(header === 'absent' ? {} : { 'x-api-key': key(header) }),
            ...(basic === 'absent' ? {} : { authorization: `Basic ${Buffer.from(`${key(basic)}:x`).toString('base64')}` }),
          },
        });
        const first = [header, query, basic].find((s) => s !== 'absent');
        assert.equal(res.statusCode, first === 'good' ? 200 : 401);
      }),
    );
  });
});

describe('key parsing', () => {
  const fakeRequest = (headers: Record<string, string>, query: Record<string, unknown>) =>
    ({ headers, query }) as unknown as FastifyRequest;

  test('extractCredential: header, then ?access-token=, then the Basic username, whatever the values', () => {
    const value = fc.option(fc.string({ maxLength: 40 }), { nil: undefined });
    const username = fc.option(fc.string({ maxLength: 40 }).filter((s) => !s.includes(':')), { nil: undefined });
    fc.assert(
      fc.property(value, value, username, fc.string({ maxLength: 20 }), (header, token, user, password) => {
        const request = fakeRequest(
          {
            ...(header === undefined ? {} : { 'x-api-key': header }),
            ...(user === undefined ? {} : { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` }),
          },
          token === undefined ? {} : { 'access-token': token },
        );
        assert.equal(extractCredential(request), header ?? token ?? user);
      }),
    );
  });

  test('every generated access key carries its role\'s prefix and only key characters', () => {
    const role = fc.constantFrom(...Object.values(WALLET_ROLES));
    fc.assert(
      fc.property(role, (r) => {
        const key = generateKey(r.prefix, r.length);
        assert.match(key, new RegExp(`^${r.prefix}[A-Za-z0-9]{${r.length}}$`));
        assert.equal(`${keyPrefix(key)}_`, r.prefix);
      }),
    );
    for (const role of Object.values(LEGACY_PREFIXES)) assert.ok(isWalletRole(role));
  });

  test('keyPrefix is the text before the first underscore', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }).filter((s) => !s.includes('_')), fc.string({ maxLength: 20 }), (head, tail) => {
        assert.equal(keyPrefix(`${head}_${tail}`), head);
        assert.equal(keyPrefix(head), head);
      }),
    );
  });
});

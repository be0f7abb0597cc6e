import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { Harness } from './helpers/harness.ts';

/** Sends raw bytes and returns all the server wrote before it closed the connection. */
async function rawExchange(url: string, bytes: string): Promise<string> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  await once(socket, 'connect');
  let answer = '';
  socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
  socket.write(bytes);
  await once(socket, 'close');
  return answer;
}

function parseRawAnswer(raw: string): { status: number; body: unknown } {
  const [head = '', body = ''] = raw.split('\r\n\r\n');
  return { status: Number(head.split(' ')[1]), body: JSON.parse(body) };
}

describe('input limits', () => {
  let h: Harness;
  let slow: Harness;
  const walletCount = async () => (await h.server.ctx.db.query<{ n: number }>('select count(*)::int8 as n from wallets'))[0]?.n;
  const createWalletRequest = (target: Harness, extraHeaders = '', body = '{"user_label":"x"}', contentLength = Buffer.byteLength(body)) =>
    `POST /v1/wallet HTTP/1.1\r\nHost: localhost\r\nX-Api-Key: ${target.sak}\r\nContent-Type: application/json\r\n` +
    `Content-Length: ${contentLength}\r\n${extraHeaders}\r\n${body}`;

  before(async () => {
    h = await Harness.start({ MAX_HEADER_BYTES: '4096' });
    // A server of its own: this short a timeout would also cut honest requests on a busy machine.
    slow = await Harness.start({ REQUEST_TIMEOUT_MS: '300' });
  });
  after(async () => {
    await h.close();
    await slow.close();
  });

  test('a body over 64 KiB → 413 in LNPay’s shape, no wallet created', async () => {
    const before = await walletCount();
    const res = await h.request('POST', '/v1/wallet', { key: h.sak, body: { user_label: 'x'.repeat(70 * 1024) } });
    assert.equal(res.status, 413);
    assert.deepEqual(res.body, { name: 'Payload Too Large', message: 'Request body is too large', code: 0, status: 413 });
    assert.equal(await walletCount(), before);
  });

  test('headers over MAX_HEADER_BYTES → 431 in LNPay’s shape, no wallet created', async () => {
    const before = await walletCount();
    const raw = await rawExchange(h.url, createWalletRequest(h, `X-Padding: ${'p'.repeat(5000)}\r\n`));
    assert.deepEqual(parseRawAnswer(raw), {
      status: 431,
      body: { name: 'Request Header Fields Too Large', message: 'Request headers are too large', code: 0, status: 431 },
    });
    assert.equal(await walletCount(), before);
  });

  test('a request not complete within REQUEST_TIMEOUT_MS → 408 in LNPay’s shape, no wallet created', async () => {
    const count = async () => (await slow.server.ctx.db.query<{ n: number }>('select count(*)::int8 as n from wallets'))[0]?.n;
    const before = await count();
    const body = '{"user_label":"slow"}';
    const raw = await rawExchange(slow.url, createWalletRequest(slow, '', body.slice(0, 5), body.length));
    assert.deepEqual(parseRawAnswer(raw), {
      status: 408,
      body: { name: 'Request Timeout', message: 'The request did not arrive completely in time', code: 0, status: 408 },
    });
    assert.equal(await count(), before);
  });

  test('JSON nested deeper than 32 levels → 400 naming the problem, no wallet created; 32 levels still parse', async () => {
    const before = await walletCount();
    const nested = (levels: number) => `{"user_label":"deep","passThru":${'['.repeat(levels - 1)}${']'.repeat(levels - 1)}}`;
    const deep = await h.request('POST', '/v1/wallet', { key: h.sak, raw: nested(33), headers: { 'Content-Type': 'application/json' } });
    assert.equal(deep.status, 400);
    assert.deepEqual(deep.body, {
      name: 'Bad Request',
      message: 'Invalid JSON data in request body: nested deeper than 32 levels',
      code: 0,
      status: 400,
    });
    assert.equal(await walletCount(), before);
    const brackets = await h.request('POST', '/v1/wallet', {
      key: h.sak,
      raw: JSON.stringify({ user_label: '[[[[{{{{'.repeat(10) }),
      headers: { 'Content-Type': 'application/json' },
    });
    assert.equal(brackets.status, 201, 'brackets inside strings do not count');
    const limit = await h.request('POST', '/v1/wallet', { key: h.sak, raw: nested(32), headers: { 'Content-Type': 'application/json' } });
    assert.doesNotMatch(limit.text, /nested deeper/);
  });
});

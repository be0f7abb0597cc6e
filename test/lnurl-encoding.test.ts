import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LnurlError, decodeLnurl, encodeLnurl, parseLightningAddress } from '../src/lnurl/encoding.ts';
import { parsePayRequest } from '../src/lnurl/payRequest.ts';

/** LUD-01's own example. */
const LUD01 = {
  lnurl:
    'LNURL1DP68GURN8GHJ7UM9WFMXJCM99E3K7MF0V9CXJ0M385EKVCENXC6R2C35XVUKXEFCV5MKVV34X5EKZD3EV56NYD3HXQURZEPEXEJXXEPNXSCRVWFNV9NXZCN9XQ6XYEFHVGCXXCMYXYMNSERXFQ5FNS',
  url: 'https://service.com/api?q=3fc3645b439ce8e7f2553a69e5267081d96dcd340693afabe04be7b0ccd178df',
};

describe('LNURL encoding (LUD-01, LUD-17) and Lightning Addresses (LUD-16)', () => {
  test("LUD-01's example encodes and decodes", () => {
    assert.equal(encodeLnurl(LUD01.url), LUD01.lnurl);
    assert.equal(decodeLnurl(LUD01.lnurl), LUD01.url);
    assert.equal(decodeLnurl(LUD01.lnurl.toLowerCase()), LUD01.url);
    assert.equal(decodeLnurl(`lightning:${LUD01.lnurl}`), LUD01.url);
  });

  test('long URLs have no 90-character limit', () => {
    const url = `https://example.com/${'a'.repeat(500)}`;
    assert.equal(decodeLnurl(encodeLnurl(url)), url);
  });

  for (const [input, url] of [
    ['lnurlp://example.com/pay/1', 'https://example.com/pay/1'],
    ['lnurlw://example.com/w?x=1', 'https://example.com/w?x=1'],
    ['lnurlp://abc.onion/p', 'http://abc.onion/p'],
    ['lnurlp://127.0.0.1:8080/p', 'http://127.0.0.1:8080/p'],
  ] as const) {
    test(`LUD-17 ${input} → ${url}`, () => assert.equal(decodeLnurl(input), url));
  }

  for (const bad of [
    'LNURL1DP68GURN8GHJ7UM9WFMXJCM99E3K7MF0V9CXJ0M385EKVCENXC6R2C35XVUKXEFCV5MKVV34X5EKZD3EV56NYD3HXQURZEPEXEJXXEPNXSCRVWFNV9NXZCN9XQ6XYEFHVGCXXCMYXYMNSERXFQ5FNX',
    encodeLnurl('http://example.com/plain-http'),
    encodeLnurl('ftp://example.com/x'),
    'https://example.com/not-encoded',
    'LNURL1',
    '',
  ]) {
    test(`refuses ${bad.slice(0, 40) || '(empty)'}`, () => assert.throws(() => decodeLnurl(bad), LnurlError));
  }

  test('addresses map to /.well-known/lnurlp/<user> on https (http only on loopback)', () => {
    assert.deepEqual(parseLightningAddress('Satoshi@Example.com'), {
      username: 'Satoshi',
      domain: 'example.com',
      url: 'https://example.com/.well-known/lnurlp/Satoshi',
    });
    assert.equal(parseLightningAddress('bob@127.0.0.1:9000').url, 'http://127.0.0.1:9000/.well-known/lnurlp/bob');
    for (const bad of ['bob', 'bob@', '@example.com', 'bo b@example.com', 'bob@exa/mple.com']) {
      assert.throws(() => parseLightningAddress(bad), LnurlError, bad);
    }
  });

  test('a payRequest must be complete and ordered', () => {
    const ok = { tag: 'payRequest', callback: 'https://x.com/cb', minSendable: 1000, maxSendable: 2000, metadata: '[["text/plain","x"]]' };
    assert.equal(parsePayRequest(ok).commentAllowed, 0);
    for (const bad of [
      { ...ok, tag: 'withdrawRequest' },
      { ...ok, callback: 'http://x.com/cb' },
      { ...ok, metadata: 'not json' },
      { ...ok, minSendable: 3000 },
      { ...ok, maxSendable: -1 },
    ]) {
      assert.throws(() => parsePayRequest(bad), LnurlError, JSON.stringify(bad));
    }
  });
});

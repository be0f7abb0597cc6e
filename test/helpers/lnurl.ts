import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { bech32 } from '@scure/base';
import { Harness } from './harness.ts';

/** A port free right now, so PUBLIC_URL can name the address the server will listen on. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** An lnpayd whose PUBLIC_URL is its real address, so its LNURLs can be followed as a wallet app would. */
export async function startLnurlHarness(env: Record<string, string> = {}): Promise<Harness> {
  const port = await freePort();
  return Harness.start({ PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, ...env });
}

/** What a wallet app does with `LNURL1…`: bech32-decode it to the URL it holds. */
export function decodeLnurlText(lnurl: string): string {
  assert.match(lnurl, /^LNURL1[02-9AC-HJ-NP-Z]+$/, 'upper-case bech32');
  const { prefix, words } = bech32.decode(lnurl.toLowerCase() as `${string}1${string}`, false);
  assert.equal(prefix, 'lnurl');
  return new TextDecoder().decode(bech32.fromWords(words));
}

/** A wallet app's GET: JSON in, status kept. */
export async function walletGet(url: string): Promise<{ status: number; body: any }> {
  const res = await fetch(url);
  return { status: res.status, body: await res.json() };
}

export function withQuery(url: string, params: Record<string, string | number>): string {
  const u = new URL(url);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, String(v));
  return u.toString();
}

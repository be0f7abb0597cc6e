import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { LndRest } from '../../src/lightning/lnd/rest.ts';

/** The env file scripts/regtest/start.sh wrote; the regtest tests are skipped without it. */
export const REGTEST_ENV_FILE = process.env.LNPAYD_REGTEST_ENV;

export async function readEnvFile(path: string): Promise<Record<string, string>> {
  const lines = (await readFile(path, 'utf8')).split('\n').filter((l) => l.includes('='));
  return Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

/** A REST client for one of the env file's nodes: prefix `LND` (lnpayd's) or `OUTSIDE_LND` (the peer). */
export async function lndClient(file: Record<string, string>, prefix: 'LND' | 'OUTSIDE_LND'): Promise<LndRest> {
  return new LndRest({
    url: file[`${prefix}_REST_URL`] ?? '',
    macaroonHex: (await readFile(file[`${prefix}_MACAROON`] ?? '')).toString('hex'),
    tlsCert: await readFile(file[`${prefix}_TLS_CERT`] ?? ''),
  });
}

export async function until<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

/** The outside node pays; resolves once LND reports the payment succeeded. */
export async function outsidePays(outside: LndRest, paymentRequest: string): Promise<void> {
  let final: Record<string, unknown> | undefined;
  await outside.stream('POST', '/v2/router/send', { payment_request: paymentRequest, fee_limit_msat: '100000', timeout_seconds: 30, no_inflight_updates: true }, AbortSignal.timeout(60_000), (p) => {
    final = p;
    return true;
  });
  assert.equal(final?.status, 'SUCCEEDED', JSON.stringify(final));
}

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { Harness } from './helpers/harness.ts';

/** A Python with lnpay-py installed (.ci/run makes one); without it these tests are skipped. */
const PYTHON = process.env.LNPAYD_PYTHON;
const FLOW = fileURLToPath(new URL('./clients/lnpay_py_flow.py', import.meta.url));

describe('the real lnpay-py client, endpoint_url pointed at lnpayd', { skip: PYTHON ? false : 'needs LNPAYD_PYTHON' }, () => {
  let h: Harness;
  before(async () => {
    h = await Harness.start();
  });
  after(() => h.close());

  test('wallets, invoice, sandbox payment, pay invoice, transfer and a refusal, as a Python integration would', async () => {
    // Asynchronously: the server under test shares this process's event loop.
    const run = await promisify(execFile)(PYTHON as string, [FLOW, `${h.url}/v1/`, h.sak], { timeout: 60_000 });
    const seen = JSON.parse(run.stdout.trim().split('\n').pop() as string);
    assert.deepEqual(seen, { alice: 50, bob: 50, bob_transactions: 2 });
    await h.assertLedger();
  });
});

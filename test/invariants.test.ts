import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { ConfigError, loadConfig } from '../src/config.ts';
import { EmbeddedNode } from '../src/lightning/embedded/node.ts';
import { LndNode } from '../src/lightning/lnd/node.ts';
import { type InvariantReport, checkInvariants } from '../src/services/checkInvariants.ts';
import { startInvariantJob } from '../src/services/invariantJob.ts';
import { Harness, type TestWallet } from './helpers/harness.ts';
import { LndStub } from './helpers/lndStub.ts';

/** A logger whose lines the test can read. */
function capturedLogger() {
  const lines: { level: number; msg: string }[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

describe('invariant check', () => {
  let h: Harness;
  let wallet: TestWallet;
  before(async () => {
    h = await Harness.start({ INVARIANT_CHECK_MS: '0' });
    wallet = await h.createWallet('checked');
    await h.fund(wallet, 500);
  });
  after(() => h.close());

  /** Shifts a wallet's cached balance away from its postings, runs fn, then puts it back. */
  async function withCorruptBalance(fn: () => Promise<void>) {
    await h.server.ctx.db.query('update wallets set balance_msat = balance_msat + 1000 where id = $1', [wallet.id]);
    try {
      await fn();
    } finally {
      await h.server.ctx.db.query('update wallets set balance_msat = balance_msat - 1000 where id = $1', [wallet.id]);
    }
  }

  test('a healthy ledger passes, with the liabilities figure and no spendable figure on the embedded node', async () => {
    const report = await checkInvariants(h.server.ctx);
    assert.deepEqual(report.problems, []);
    assert.equal(report.ok, true);
    assert.equal(report.liabilitiesMsat, 500_000);
    assert.equal(report.spendableMsat, undefined);
  });

  test('a cached balance that differs from its postings is named', async () => {
    await withCorruptBalance(async () => {
      const report = await checkInvariants(h.server.ctx);
      assert.equal(report.ok, false);
      assert.deepEqual(report.problems, [`wallet ${wallet.id} balance 501000 msat, postings 500000 msat`]);
    });
  });

  test('an abandoned pending payment must be known to the node', async () => {
    const outside = await h.request('POST', '/v1/sandbox/invoice', { key: h.sak, body: { num_satoshis: 10, hold_seconds: 60 } });
    assert.equal(outside.status, 201, outside.text);
    // The node holds it: the request answers 202 after its 10 s wait, the payment stays pending.
    const paying = h.request('POST', `/v1/wallet/${wallet.keys.admin}/withdraw`, { key: h.sak, body: { payment_request: outside.body.payment_request } });
    const db = h.server.ctx.db;
    let pending: { id: string }[] = [];
    for (let tries = 0; pending.length === 0; tries++) {
      assert.ok(tries < 1000, 'the payment was recorded as pending');
      pending = await db.query<{ id: string }>(`select id from payments where status = 'pending'`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const paymentId = (pending[0] as { id: string }).id;
    assert.equal((await checkInvariants(h.server.ctx)).pendingChecked, 0, 'a young pending payment may still be on its way to the node');
    await db.query('update payments set created_at = created_at - 60 where id = $1', [paymentId]);

    const known = await checkInvariants(h.server.ctx);
    assert.deepEqual([known.ok, known.pendingChecked], [true, 1], 'in flight at the node');
    const amnesiac = await EmbeddedNode.open(undefined);
    const unknown = await checkInvariants({ ...h.server.ctx, lightning: amnesiac });
    assert.equal(unknown.ok, false);
    assert.match(unknown.problems.join('\n'), new RegExp(`^pending payment ${paymentId} \\(hash [0-9a-f]{64}\\) is unknown to the embedded node$`));
    assert.equal((await paying).status, 202);
    // Young again, so that the other tests' nodes need not know it.
    await db.query('update payments set created_at = created_at + 60 where id = $1', [paymentId]);
  });

  test('on LND, wallet liabilities above the channels\' local balance are a problem reported with both figures', async () => {
    const stub = await LndStub.start();
    try {
      const lnd = await LndNode.open({ url: stub.url, macaroonHex: 'ab'.repeat(16), tlsCert: undefined, network: 'regtest' });
      const ctx = { ...h.server.ctx, lightning: lnd };
      const { liabilitiesMsat } = await checkInvariants(ctx);
      stub.localBalanceMsat = liabilitiesMsat;
      const covered = await checkInvariants(ctx);
      assert.deepEqual([covered.ok, covered.spendableMsat], [true, liabilitiesMsat]);
      stub.localBalanceMsat = liabilitiesMsat - 1;
      const short = await checkInvariants(ctx);
      assert.deepEqual(short.problems, [
        `wallet liabilities ${liabilitiesMsat} msat exceed the node's spendable balance ${liabilitiesMsat - 1} msat`,
      ]);
      assert.ok(stub.requests.some((r) => r.path === '/v1/balance/channels'));
    } finally {
      await stub.close();
    }
  });

  test('the periodic job keeps the last report, hands each to onResult and logs a broken ledger at error level', async () => {
    const { logger, lines } = capturedLogger();
    const reports: InvariantReport[] = [];
    let job: ReturnType<typeof startInvariantJob> | undefined;
    await withCorruptBalance(async () => {
      await new Promise<void>((resolve) => {
        job = startInvariantJob(h.server.ctx, logger, 60_000, (report) => {
          reports.push(report);
          resolve();
        });
      });
      await job?.stop();
    });
    assert.equal(reports.length, 1);
    assert.equal(job?.last(), reports[0]);
    assert.equal(reports[0]?.ok, false);
    const logged = lines.find((l) => l.level === 50);
    assert.ok(logged, 'an error-level line');
    assert.match(logged.msg, new RegExp(`^INVARIANTS BROKEN: wallet ${wallet.id} balance`));
  });

  test('INVARIANT_CHECK_MS: 5 minutes by default, 0 turns the job off, a bad value names the variable', () => {
    assert.equal(loadConfig({}).invariantCheckMs, 300_000);
    assert.equal(loadConfig({ INVARIANT_CHECK_MS: '0' }).invariantCheckMs, 0);
    assert.equal(h.server.invariants, undefined);
    assert.throws(() => loadConfig({ INVARIANT_CHECK_MS: '-1' }), (err) => err instanceof ConfigError && /INVARIANT_CHECK_MS/.test(err.message));
  });
});

import { checkInvariants } from '../services/checkInvariants.ts';
import { type Command, EXIT } from './command.ts';

const sats = (msat: number) => `${Math.floor(msat / 1000)} sats`;

export const start: Command = {
  words: ['start'],
  summary: 'run the server (as `npm start`), configured by the environment',
  usage: '',
  details: ['Stops on SIGTERM / SIGINT. Exit 2: bad configuration; 3: DATA_DIR in use by another lnpayd.'],
  arity: 0,
  needs: 'nothing',
  async run() {
    // main.ts is the server's process entry: importing it starts the server, exactly as `npm start` does.
    await import('../main.ts');
    return undefined;
  },
};

export const migrate: Command = {
  words: ['migrate'],
  summary: 'apply pending database migrations and exit',
  usage: '',
  details: ['Safe beside running servers on PostgreSQL: migrations are serialised by an advisory lock.'],
  arity: 0,
  needs: 'database',
  async run(_db, { applied, out }) {
    out.result(applied.length > 0 ? `applied migrations ${applied.join(', ')}` : 'database schema up to date', { applied });
    return EXIT.ok;
  },
};

export const check: Command = {
  words: ['check'],
  summary: 'verify the ledger invariants; exit 0 when all hold, 1 with the problems when not',
  usage: '',
  details: [
    'Checks: every entry and all postings sum to zero, no wallet negative, cached balances equal their postings,',
    'every settled invoice credited once, every pending payment older than the recovery grace known to the node,',
    "and on LND the wallets' total balance within the node's spendable channel balance.",
  ],
  arity: 0,
  needs: 'services',
  async run(ctx, { out }) {
    const report = await checkInvariants(ctx);
    const figures =
      `${report.pendingChecked} abandoned pending payments asked of the node; wallet liabilities ${sats(report.liabilitiesMsat)}` +
      (report.spendableMsat === undefined ? '' : `, node spendable ${sats(report.spendableMsat)}`);
    const lines = report.ok
      ? [`invariants hold: ${figures}`]
      : [`INVARIANTS BROKEN (${report.problems.length}):`, ...report.problems.map((p) => `  - ${p}`), figures];
    out.result(lines, report);
    return report.ok ? EXIT.ok : EXIT.failure;
  },
};

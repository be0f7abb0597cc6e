import { closeSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';

export type JournalRecord =
  | { type: 'hold'; paymentHash: string; seconds: number; fails?: boolean }
  | { type: 'sent'; paymentHash: string; settleAt: number; feeMsat: number; preimage: string; fails?: boolean };

/**
 * The embedded node's memory of what it sent, as a real node has one: an
 * append-only, fsynced file, so that after a crash lnpayd can ask what became
 * of a payment and get the node's answer rather than a guess.
 */
export class Journal {
  private readonly holds = new Map<string, { seconds: number; fails: boolean }>();
  private readonly sent = new Map<string, Extract<JournalRecord, { type: 'sent' }>>();

  constructor(private readonly path: string | undefined) {
    if (!path) return;
    let text = '';
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        this.apply(JSON.parse(line) as JournalRecord);
      } catch {
        // A torn last line from a crash mid-append: that write never completed.
      }
    }
  }

  append(record: JournalRecord): void {
    if (this.path) {
      const fd = openSync(this.path, 'a', 0o600);
      try {
        writeSync(fd, JSON.stringify(record) + '\n');
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }
    this.apply(record);
  }

  /** How the outside node treats a payment to this hash: how long it holds it, and whether it then fails it. */
  hold(paymentHash: string): { seconds: number; fails: boolean } {
    return this.holds.get(paymentHash) ?? { seconds: 0, fails: false };
  }

  sentPayment(paymentHash: string) {
    return this.sent.get(paymentHash);
  }

  private apply(record: JournalRecord): void {
    if (record.type === 'hold') this.holds.set(record.paymentHash, { seconds: record.seconds, fails: record.fails ?? false });
    else this.sent.set(record.paymentHash, record);
  }
}

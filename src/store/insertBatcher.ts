import { TurnBatcher, type Waiting } from '../lib/turnBatcher.ts';
import type { Queryable } from './db.ts';

/** Most rows in one statement: 64 rows of lntx's 24 columns stay far below PostgreSQL's 65,535 parameters. */
const MAX_ROWS = 64;

/**
 * Single-row inserts into one table, made on the database itself (never in a
 * transaction), coalesced with the others issued in the same event-loop turn
 * into one multi-row INSERT: one statement and one commit (one WAL flush) for
 * the lot instead of one each, which is most of what an insert costs the
 * database and the driver. Alone, a row is inserted as it would be anyway.
 *
 * A multi-row statement is atomic: if it fails, nothing of it was written, and
 * each row is inserted again on its own so that each caller gets its own
 * answer (a constraint one row breaks fails only that row).
 */
export class InsertBatcher {
  private readonly batcher: TurnBatcher<Queryable, unknown[], void>;

  /** `statement(n)` inserts n rows, parameters row by row (multiRowInsert). */
  constructor(private readonly statement: (rows: number) => string) {
    this.batcher = new TurnBatcher({ maxItems: MAX_ROWS, maxFlushing: Infinity }, (db, batch) => this.flush(db, batch));
  }

  /** Inserts one row (its values in column order); resolves once it is committed. */
  insert(db: Queryable, values: unknown[]): Promise<void> {
    return this.batcher.submit(db, values);
  }

  private async flush(db: Queryable, batch: Waiting<unknown[], void>[]): Promise<void> {
    if (batch.length > 1) {
      const ok = await db.query(this.statement(batch.length), batch.flatMap((w) => w.item)).then(
        () => true,
        () => false,
      );
      if (ok) {
        for (const w of batch) w.resolve();
        return;
      }
    }
    await Promise.all(batch.map((w) => db.query(this.statement(1), w.item).then(() => w.resolve(), w.reject)));
  }
}

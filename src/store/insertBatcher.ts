import { TurnBatcher, type Waiting } from '../lib/turnBatcher.ts';
import type { Queryable } from './db.ts';
import type { RowsInsert } from './rowsInsert.ts';

/** Most rows in one statement: a few dozen spread the commit well; more only make the batch's callers wait longer. */
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
export class InsertBatcher<Row> {
  private readonly batcher: TurnBatcher<Queryable, Row, void>;

  constructor(private readonly statement: RowsInsert<Row>) {
    this.batcher = new TurnBatcher({ maxItems: MAX_ROWS, maxFlushing: Infinity }, (db, batch) => this.flush(db, batch));
  }

  /** Inserts one row; resolves once it is committed. */
  insert(db: Queryable, row: Row): Promise<void> {
    return this.batcher.submit(db, row);
  }

  private async flush(db: Queryable, batch: Waiting<Row, void>[]): Promise<void> {
    if (batch.length > 1) {
      const ok = await db.query(this.statement.sql, this.statement.params(batch.map((w) => w.item))).then(
        () => true,
        () => false,
      );
      if (ok) {
        for (const w of batch) w.resolve();
        return;
      }
    }
    await Promise.all(
      batch.map((w) => db.query(this.statement.sql, this.statement.params([w.item])).then(() => w.resolve(), w.reject)),
    );
  }
}

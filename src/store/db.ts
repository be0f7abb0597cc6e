/**
 * The one query interface every layer above talks to. Both drivers speak the
 * PostgreSQL dialect; int8 columns come back as JS numbers (checked safe).
 */
export type Row = Record<string, unknown>;

export interface Queryable {
  query<T = Row>(sql: string, params?: unknown[]): Promise<T[]>;
}

/**
 * A transaction's connection. Each statement started on it is either awaited
 * or handed to commitWith(), never left floating: one that fails rolls the
 * whole transaction back and is what transaction() throws.
 */
export interface Transaction extends Queryable {
  /**
   * Writes whose results nobody reads, handed over instead of awaited: on
   * PostgreSQL they travel with the COMMIT in one round trip, so the rows the
   * transaction locked are held for one round trip less.
   */
  commitWith(...writes: Promise<unknown>[]): void;
}

export interface Db extends Queryable {
  /** Runs fn in one transaction; retried on serialization failure / deadlock. */
  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>;
  /** Runs a multi-statement script without parameters (migrations). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
  readonly kind: 'pglite' | 'postgres';
}

/** SQLSTATEs worth retrying: the database resolved a race by aborting one side. */
const RETRYABLE = new Set(['40001', '40P01']);

export function sqlState(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err) {
    const code = (err as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

/**
 * True when the database answered a transaction with an error that aborts it
 * (a constraint, a data error, a deadlock), so none of it was committed. A
 * lost connection or a server shutdown leaves that unknown.
 */
export function refusedByDatabase(err: unknown): boolean {
  const state = sqlState(err);
  return state !== undefined && /^(22|23|40|P0)/.test(state);
}

/** The constraint a violation names (the postgres driver and PGlite spell the field differently). */
export function sqlConstraint(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const { constraint_name: name, constraint } = err as { constraint_name?: unknown; constraint?: unknown };
  const found = name ?? constraint;
  return typeof found === 'string' ? found : undefined;
}

/**
 * The writes a transaction was handed with commitWith(): settled() waits for
 * them all and throws the first failure. Each is handled at once, so one that
 * fails before settled() runs is never an unhandled rejection.
 */
export function pendingWrites(): { commitWith: Transaction['commitWith']; settled: () => Promise<void> } {
  const writes: Promise<unknown>[] = [];
  return {
    commitWith: (...more) => {
      for (const write of more) {
        write.catch(() => {});
        writes.push(write);
      }
    },
    settled: async () => {
      await Promise.all(writes);
    },
  };
}

export async function withRetry<T>(run: () => Promise<T>, attempts = 8): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await run();
    } catch (err) {
      if (i >= attempts || !RETRYABLE.has(sqlState(err) ?? '')) throw err;
      await new Promise((r) => setTimeout(r, Math.random() * 5 * i));
    }
  }
}

export function parseInt8(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new RangeError(`int8 value ${text} exceeds the safe integer range`);
  return n;
}

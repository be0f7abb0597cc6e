import type { Db, Queryable, Transaction } from '../store/db.ts';
import type { Metrics } from './metrics.ts';

type Report = (metrics: Metrics) => void;

/** Where observe() puts its reports: the metrics themselves, or a transaction's list that waits for the commit. */
const sinks = new WeakMap<Queryable, { metrics: Metrics; held: Report[] | undefined }>();

/**
 * Reports a fact to the metrics once what q wrote is committed: at once on
 * the database itself, after the commit inside a transaction (an attempt that
 * is rolled back or retried reports nothing). A no-op on a database that is
 * not observed, so services need not know whether metrics exist.
 */
export function observe(q: Queryable, report: Report): void {
  const sink = sinks.get(q);
  if (!sink) return;
  if (sink.held) sink.held.push(report);
  else report(sink.metrics);
}

/** The same database, counting the operations that hold a connection (pool use, on either driver) and carrying observe() reports. */
export function observedDb(db: Db, metrics: Metrics): Db {
  const track = async <T>(kind: 'query' | 'transaction', run: () => Promise<T>): Promise<T> => {
    metrics.dbOperation(kind, 1);
    try {
      return await run();
    } finally {
      metrics.dbOperation(kind, -1);
    }
  };
  const observed: Db = {
    kind: db.kind,
    query: (sql, params) => track('query', () => db.query(sql, params)),
    transaction: (fn) =>
      track('transaction', async () => {
        let held: Report[] = [];
        const result = await db.transaction((tx) => {
          held = [];
          const attempt: Transaction = { query: (sql, params) => tx.query(sql, params), commitWith: (...writes) => tx.commitWith(...writes) };
          sinks.set(attempt, { metrics, held });
          return fn(attempt);
        });
        for (const report of held) report(metrics);
        return result;
      }),
    exec: (sql) => db.exec(sql),
    close: () => db.close(),
  };
  sinks.set(observed, { metrics, held: undefined });
  return observed;
}

import { PGlite } from '@electric-sql/pglite';
import { type Db, type Queryable, pendingWrites, withRetry } from './db.ts';

/**
 * Embedded PostgreSQL (WASM) in DATA_DIR. It serves one process and never
 * fsyncs: fine for development and small installs, not for power loss.
 */
export async function openPglite(dataDir: string | undefined): Promise<Db> {
  const pg = await PGlite.create(dataDir ? { dataDir } : {});
  const wrap = (q: { query: PGlite['query'] }): Queryable => ({
    async query<T>(sql: string, params?: unknown[]) {
      const res = await q.query<T>(sql, params);
      return res.rows;
    },
  });
  const base = wrap(pg);
  return {
    kind: 'pglite',
    query: base.query,
    transaction: (fn) =>
      withRetry(() =>
        pg.transaction(async (tx) => {
          const writes = pendingWrites();
          const result = await fn({ ...wrap(tx), commitWith: writes.commitWith });
          await writes.settled();
          return result;
        }),
      ),
    exec: async (sql) => {
      await pg.exec(sql);
    },
    close: () => pg.close(),
  };
}

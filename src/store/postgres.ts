import postgres from 'postgres';
import { type Db, type Queryable, type Transaction, parseInt8, pendingWrites, withRetry } from './db.ts';

/**
 * A Unix-socket directory named the libpq way, `postgres://user@localhost/db?host=/run/postgresql`,
 * becomes the driver's host option (it reads only the URL's host name): on the
 * same machine a socket spares each round trip the loopback TCP stack.
 */
function socketDirectory(url: string): { url: string; host?: string } {
  const parsed = new URL(url);
  const dir = parsed.searchParams.get('host');
  if (!dir?.startsWith('/')) return { url };
  parsed.searchParams.delete('host');
  return { url: parsed.toString(), host: dir };
}

export async function openPostgres(url: string, maxConnections = 10): Promise<Db> {
  const target = socketDirectory(url);
  const sql = postgres(target.url, {
    ...(target.host ? { host: target.host } : {}),
    max: maxConnections,
    onnotice: () => {},
    types: {
      int8: { to: 20, from: [20], serialize: (v: number) => String(v), parse: parseInt8 },
    },
  });
  const wrap = (s: postgres.Sql): Queryable => ({
    async query<T>(text: string, params: unknown[] = []) {
      const rows = await s.unsafe(text, params as postgres.ParameterOrJSON<never>[], { prepare: true });
      return rows as unknown as T[];
    },
  });

  /**
   * One transaction on a reserved connection, pipelined: BEGIN goes out with
   * the first statement and COMMIT with the writes handed to commitWith(), so
   * a transaction of two steps costs two round trips, not four. A failed
   * write leaves the transaction aborted, and PostgreSQL answers the COMMIT
   * that follows it with ROLLBACK.
   */
  async function transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    const conn = await sql.reserve();
    try {
      const begun = conn.unsafe('begin').execute();
      begun.catch(() => {});
      const writes = pendingWrites();
      let result: T;
      try {
        result = await fn({ ...wrap(conn), commitWith: writes.commitWith });
        await begun;
      } catch (err) {
        await conn.unsafe('rollback').catch(() => {});
        throw err;
      }
      const committed = conn.unsafe('commit').execute();
      const [written, commit] = await Promise.allSettled([writes.settled(), committed]);
      if (written.status === 'rejected') throw written.reason;
      if (commit.status === 'rejected') throw commit.reason;
      if (commit.value.command !== 'COMMIT') throw new Error(`transaction ended in ${commit.value.command}, not COMMIT`);
      return result;
    } finally {
      conn.release();
    }
  }

  await sql`select 1`;
  return {
    kind: 'postgres',
    query: wrap(sql).query,
    transaction: (fn) => withRetry(() => transaction(fn)),
    exec: async (text) => {
      await sql.unsafe(text);
    },
    close: () => sql.end({ timeout: 5 }),
  };
}

import postgres from 'postgres';
import { type Db, type Queryable, parseInt8, withRetry } from './db.ts';

export async function openPostgres(url: string, maxConnections = 10): Promise<Db> {
  const sql = postgres(url, {
    max: maxConnections,
    onnotice: () => {},
    types: {
      int8: { to: 20, from: [20], serialize: (v: number) => String(v), parse: parseInt8 },
    },
  });
  const wrap = (s: postgres.Sql | postgres.TransactionSql): Queryable => ({
    async query<T>(text: string, params: unknown[] = []) {
      const rows = await s.unsafe(text, params as postgres.ParameterOrJSON<never>[], { prepare: true });
      return rows as unknown as T[];
    },
  });
  await sql`select 1`;
  const base = wrap(sql);
  return {
    kind: 'postgres',
    query: base.query,
    transaction: (fn) => withRetry(() => sql.begin((tx) => fn(wrap(tx))) as Promise<Awaited<ReturnType<typeof fn>>>),
    exec: async (text) => {
      await sql.unsafe(text);
    },
    close: () => sql.end({ timeout: 5 }),
  };
}

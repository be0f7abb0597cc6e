import type { Queryable } from './db.ts';

/** Returns the stored value, storing `create()` first if the key is new (race-safe). */
export async function getOrCreateSetting(q: Queryable, key: string, create: () => string): Promise<string> {
  await q.query('insert into settings (key, value) values ($1, $2) on conflict (key) do nothing', [key, create()]);
  const [row] = await q.query<{ value: string }>('select value from settings where key = $1', [key]);
  if (!row) throw new Error(`setting ${key} vanished`);
  return row.value;
}

import type { Queryable } from './db.ts';

const KEY = 'ln_settle_index';

/** The node's settle index up to which settlements were credited; 0 before the first. */
export async function loadSettleIndex(q: Queryable): Promise<number> {
  const [row] = await q.query<{ value: string }>('select value from settings where key = $1', [KEY]);
  return row ? Number(row.value) : 0;
}

/** Only ever moves forward, whichever process or replay writes last. */
export async function saveSettleIndex(q: Queryable, settleIndex: number): Promise<void> {
  await q.query(
    `insert into settings (key, value) values ($1, $2)
     on conflict (key) do update set value = excluded.value
     where settings.value::bigint < excluded.value::bigint`,
    [KEY, String(settleIndex)],
  );
}

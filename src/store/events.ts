import type { Queryable } from './db.ts';

export async function insertEvent(
  q: Queryable,
  e: { id: string; name: string; now: number; data: unknown },
): Promise<void> {
  await q.query('insert into events (id, name, created_at, data) values ($1, $2, $3, $4::jsonb)', [
    e.id,
    e.name,
    e.now,
    e.data,
  ]);
}

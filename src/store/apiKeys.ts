import type { Queryable } from './db.ts';

export type ApiRole = 'sak' | 'pak';

export async function findApiKeyRole(q: Queryable, keyHash: string): Promise<ApiRole | undefined> {
  const [row] = await q.query<{ role: ApiRole }>('select role from api_keys where key_hash = $1', [keyHash]);
  return row?.role;
}

export async function countApiKeys(q: Queryable, role: ApiRole): Promise<number> {
  const [row] = await q.query<{ n: number }>('select count(*)::int8 as n from api_keys where role = $1', [role]);
  return row?.n ?? 0;
}

/** Makes keyHash the only key of its role (pinning or rotating the root key). */
export async function replaceApiKey(q: Queryable, role: ApiRole, keyHash: string, now: number): Promise<void> {
  await q.query('delete from api_keys where role = $1 and key_hash <> $2', [role, keyHash]);
  await q.query(
    'insert into api_keys (key_hash, role, created_at) values ($1, $2, $3) on conflict (key_hash) do nothing',
    [keyHash, role, now],
  );
}

export async function insertApiKeyIfMissing(q: Queryable, role: ApiRole, keyHash: string, now: number): Promise<void> {
  await q.query(
    'insert into api_keys (key_hash, role, created_at) values ($1, $2, $3) on conflict (key_hash) do nothing',
    [keyHash, role, now],
  );
}

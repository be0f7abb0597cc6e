import type { Queryable } from './db.ts';
import { type Sort, sqlOrder } from './sort.ts';

export interface WebhookEndpointRow {
  id: string;
  url: string;
  /** null = every event, also ones added in later versions. */
  events: string[] | null;
  secret: string | null;
  description: string | null;
  active: number;
  created_at: number;
  updated_at: number;
}

const COLUMNS = 'id, url, events, secret, description, active, created_at, updated_at';

export async function insertEndpoint(
  q: Queryable,
  e: { id: string; url: string; events: string[] | null; secret: string | null; description: string | null; now: number },
): Promise<WebhookEndpointRow> {
  const [row] = await q.query<WebhookEndpointRow>(
    `insert into webhook_endpoints (id, url, events, secret, description, created_at, updated_at)
     values ($1, $2, $3::text[], $4, $5, $6, $6) returning ${COLUMNS}`,
    [e.id, e.url, e.events, e.secret, e.description, e.now],
  );
  if (!row) throw new Error('insert returned no row');
  return row;
}

export async function findEndpoint(q: Queryable, id: string): Promise<WebhookEndpointRow | undefined> {
  const [row] = await q.query<WebhookEndpointRow>(`select ${COLUMNS} from webhook_endpoints where id = $1`, [id]);
  return row;
}

export type EndpointChanges = Partial<Pick<WebhookEndpointRow, 'url' | 'events' | 'secret' | 'description' | 'active'>>;

/** Updates only the given fields; undefined leaves a column as it is, null clears it. */
export async function updateEndpoint(
  q: Queryable,
  id: string,
  changes: EndpointChanges,
  now: number,
): Promise<WebhookEndpointRow | undefined> {
  const has = (field: keyof EndpointChanges) => changes[field] !== undefined;
  const [row] = await q.query<WebhookEndpointRow>(
    `update webhook_endpoints set
       url = case when $2 then $3 else url end,
       events = case when $4 then $5::text[] else events end,
       secret = case when $6 then $7 else secret end,
       description = case when $8 then $9 else description end,
       active = case when $10 then $11::smallint else active end,
       updated_at = $12
     where id = $1 returning ${COLUMNS}`,
    [
      id,
      has('url'),
      changes.url ?? null,
      has('events'),
      changes.events ?? null,
      has('secret'),
      changes.secret ?? null,
      has('description'),
      changes.description ?? null,
      has('active'),
      changes.active ?? 0,
      now,
    ],
  );
  return row;
}

/** Deletes the endpoint with its deliveries and their attempts (cascade). */
export async function deleteEndpoint(q: Queryable, id: string): Promise<boolean> {
  const rows = await q.query('delete from webhook_endpoints where id = $1 returning id', [id]);
  return rows.length > 0;
}

export async function disableEndpoint(q: Queryable, id: string, now: number): Promise<void> {
  await q.query('update webhook_endpoints set active = 0, updated_at = $2 where id = $1', [id, now]);
}

export async function listEndpoints(q: Queryable, sort: Sort, page: { limit: number; offset: number }): Promise<WebhookEndpointRow[]> {
  const order = sqlOrder(sort, { created_at: 'created_at', updated_at: 'updated_at', url: 'url', id: 'id' }, 'seq');
  return q.query<WebhookEndpointRow>(`select ${COLUMNS} from webhook_endpoints order by ${order} limit $1 offset $2`, [
    page.limit,
    page.offset,
  ]);
}

export async function countEndpoints(q: Queryable): Promise<number> {
  const [row] = await q.query<{ n: number }>('select count(*)::int8 as n from webhook_endpoints');
  return row?.n ?? 0;
}

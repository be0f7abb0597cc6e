import type { Queryable } from './db.ts';

export interface NewEvent {
  id: string;
  name: string;
  /**
   * The webhook envelope, sent byte-identical on every delivery attempt. The
   * event's data is its `data` member: it travels once, inside the body.
   */
  body: string;
}

/**
 * Inserts events in the given order, each with one pending delivery per active
 * endpoint subscribed to it — one statement, so the outbox costs a single
 * round trip. FOR KEY SHARE holds off a concurrent endpoint delete until this
 * transaction ends. Delivery ids are drawn in the database because the number
 * of subscribers is only known there; md5 of a random UUID gives 96 uniform
 * bits as 24 characters of the iwhr_ id's alphabet.
 */
export async function insertEvents(q: Queryable, events: NewEvent[], now: number, dueMs: number): Promise<void> {
  await q.query(
    `with input as (
       select e.n, e.v->>'id' as id, e.v->>'name' as name, e.v->>'body' as body
         from jsonb_array_elements($1::jsonb->'events') with ordinality as e(v, n)),
     ev as (
       insert into events (id, name, created_at, data)
       select id, name, $2, body::jsonb->'data' from input order by n
       returning id),
     subscribed as (
       select id, events, seq from webhook_endpoints
        where active = 1 and (events is null or events && array(select name from input))
          for key share)
     insert into webhook_deliveries (id, endpoint_id, event_id, event_name, body, status, created_at, next_attempt_ms)
     select 'iwhr_' || substr(md5(gen_random_uuid()::text), 1, 24), s.id, i.id, i.name, i.body, 'pending', $2, $3
       from ev
       join input i on i.id = ev.id
       join subscribed s on s.events is null or i.name = any(s.events)
      order by i.n, s.seq`,
    // Wrapped in an object: both drivers send an object param as JSON, an array as a SQL array.
    [{ events }, now, dueMs],
  );
}

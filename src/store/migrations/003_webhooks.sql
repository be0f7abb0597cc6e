-- Webhook endpoints (lnpayd's API for what LNPay kept in its dashboard).
-- The secret is kept as given: it keys the HMAC of every delivery.
create table webhook_endpoints (
  id          text primary key,
  seq         bigserial unique,
  url         text not null,
  -- null = every event, including ones added later
  events      text[],
  secret      text,
  description text,
  active      smallint not null default 1 check (active in (0, 1)),
  created_at  bigint not null,
  updated_at  bigint not null
);

-- One row per (event, endpoint), written in the transaction that wrote the event.
-- body is the exact envelope sent on every attempt, so retries are byte-identical.
create table webhook_deliveries (
  id               text primary key,
  seq              bigserial unique,
  endpoint_id      text not null references webhook_endpoints (id) on delete cascade,
  event_id         text not null references events (id),
  event_name       text not null,
  body             text not null,
  status           text not null check (status in ('pending', 'delivered', 'failed')),
  attempts         int not null default 0,
  -- null = the configured WEBHOOK_MAX_ATTEMPTS; a redeliver allows exactly one more
  attempt_limit    int,
  last_status_code int,
  last_error       text,
  created_at       bigint not null,
  next_attempt_ms  bigint not null,
  -- set while an attempt is in flight; a crashed process's claim returns when it passes
  lease_until_ms   bigint,
  delivered_at     bigint
);
create index webhook_deliveries_due on webhook_deliveries (next_attempt_ms) where status = 'pending';
create index webhook_deliveries_endpoint on webhook_deliveries (endpoint_id, seq);

create table webhook_attempts (
  delivery_id   text not null references webhook_deliveries (id) on delete cascade,
  attempt       int not null,
  started_at_ms bigint not null,
  duration_ms   int not null,
  status_code   int,
  error         text,
  response_body text,
  primary key (delivery_id, attempt)
);

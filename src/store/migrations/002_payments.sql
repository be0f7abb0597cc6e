-- Outgoing payments: a persisted state machine keyed by payment hash.
-- pending → succeeded | failed; a pending one is resolved by asking the node.
create table payments (
  id              text primary key,
  payment_hash    text not null,
  wallet_id       text not null references wallets (id),
  kind            text not null check (kind in ('invoice', 'keysend')),
  status          text not null check (status in ('pending', 'succeeded', 'failed')),
  payment_request text not null,
  dest_pubkey     text not null,
  memo            text,
  description_hash text,
  amount_msat     bigint not null check (amount_msat > 0),
  fee_limit_msat  bigint not null check (fee_limit_msat >= 0),
  fee_msat        bigint,
  preimage        text,
  custom_records  jsonb,
  pass_thru       jsonb,
  failure_reason  text,
  lntx_id         text references lntx (id),
  idempotency_key text,
  -- The API answer decided with the outcome (also for whoever resumes the payment).
  response_status int,
  response        jsonb,
  created_at      bigint not null,
  updated_at      bigint not null
);
-- One live attempt per payment hash: the same invoice cannot be paid twice at once,
-- nor again once it succeeded.
create unique index payments_live_hash on payments (payment_hash) where status <> 'failed';
create index payments_pending on payments (created_at) where status = 'pending';

-- Idempotency-Key: claimed in the transaction that first moves money, answered in the
-- transaction that decides the outcome.
create table idempotency_keys (
  wallet_id    text not null,
  key          text not null,
  request_hash text not null,
  status_code  int,
  response     jsonb,
  created_at   bigint not null,
  primary key (wallet_id, key)
);

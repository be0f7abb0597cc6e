-- Root API keys (sak_/pak_), stored as SHA-256 hashes only.
create table api_keys (
  key_hash   text primary key,
  role       text not null check (role in ('sak', 'pak')),
  created_at bigint not null
);

create table wallets (
  id           text primary key,
  seq          bigserial unique,
  user_label   text not null,
  created_at   bigint not null,
  updated_at   bigint not null,
  status       text not null default 'active',
  wallet_type  text not null default 'generic_wallet',
  ln_node_id   text not null,
  -- Cached sum of the wallet's postings, written only by the ledger in the
  -- same transaction as the postings; the CHECK is the last word on overdrafts.
  balance_msat bigint not null default 0,
  constraint wallet_balance_not_negative check (balance_msat >= 0)
);

create table wallet_keys (
  key_hash   text primary key,
  wallet_id  text not null references wallets (id),
  role       text not null,
  created_at bigint not null
);
create index wallet_keys_wallet on wallet_keys (wallet_id);

-- Double-entry ledger: an entry's postings sum to zero (enforced at commit).
-- Accounts are wallet ids or the system accounts 'node', 'inflight', 'fees'.
create table ledger_entries (
  id         bigserial primary key,
  kind       text not null,
  created_at bigint not null
);

create table postings (
  entry_id    bigint not null references ledger_entries (id),
  account     text not null,
  amount_msat bigint not null,
  primary key (entry_id, account)
);
create index postings_account on postings (account);

create function postings_entry_balanced() returns trigger language plpgsql as $$
begin
  if (select coalesce(sum(amount_msat), 0) from postings where entry_id = new.entry_id) <> 0 then
    raise exception 'ledger entry % does not sum to zero', new.entry_id using errcode = '23514';
  end if;
  return null;
end $$;

create constraint trigger postings_balanced after insert on postings
  deferrable initially deferred for each row execute function postings_entry_balanced();

create table lntx (
  id               text primary key,
  created_at       bigint not null,
  wallet_id        text not null references wallets (id),
  ln_node_id       text not null,
  direction        text not null check (direction in ('in', 'out')),
  dest_pubkey      text not null,
  payment_request  text not null,
  payment_hash     text not null,
  memo             text,
  description_hash text,
  payment_addr     text,
  num_satoshis     bigint not null,
  amount_msat      bigint,
  fee_msat         bigint not null default 0,
  expiry           bigint,
  expires_at       bigint,
  payment_preimage text,
  settled          smallint not null default 0,
  settled_at       bigint,
  is_keysend       smallint,
  is_amp           smallint,
  custom_records   jsonb,
  pass_thru        jsonb
);
-- An invoice we issued exists once; it is credited once (settled flips once).
create unique index lntx_incoming_hash on lntx (payment_hash) where direction = 'in';

create table wallet_transactions (
  id                  text primary key,
  seq                 bigserial unique,
  wallet_id           text not null references wallets (id),
  created_at          bigint not null,
  num_satoshis        bigint not null,
  type_id             int not null,
  user_label          text,
  lntx_id             text references lntx (id),
  pass_thru           jsonb,
  entry_id            bigint not null references ledger_entries (id),
  balance_after_msat  bigint not null
);
create index wallet_transactions_wallet on wallet_transactions (wallet_id, seq desc);

-- Outbox: written in the same transaction as the change it reports.
create table events (
  id         text primary key,
  seq        bigserial unique,
  name       text not null,
  created_at bigint not null,
  data       jsonb not null
);

create table settings (
  key   text primary key,
  value text not null
);

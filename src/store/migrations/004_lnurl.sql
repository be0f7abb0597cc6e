-- The two public-link keys (waklw_, waklp_) are embedded in LNURLs, so they are kept
-- readable; every other key stays a hash only.
alter table wallet_keys add column key_plain text;
alter table wallet_keys add constraint wallet_keys_plain_public_only
  check (key_plain is null or role in ('lnurlWithdraw', 'lnurlPay'));

-- What an incoming invoice is for: an LNURL-pay invoice settles as ln_lnurl_pay_inbound.
alter table lntx add column kind text not null default 'invoice' check (kind in ('invoice', 'lnurlpay'));

create table lnurlp_links (
  id                text primary key,
  seq               bigserial unique,
  wallet_id         text not null references wallets (id),
  created_at        bigint not null,
  updated_at        bigint not null,
  user_label        text,
  min_sendable_msat bigint not null check (min_sendable_msat >= 1000),
  max_sendable_msat bigint not null,
  short_desc        text not null,
  comment_allowed   int not null default 0 check (comment_allowed >= 0),
  -- The user part of the Lightning Address <identifier>@<PUBLIC_URL host>.
  identifier        text unique,
  status            text not null default 'active' check (status in ('active', 'inactive'))
);
create index lnurlp_links_wallet on lnurlp_links (wallet_id);

alter table wallets add column default_lnurlpay_id text;

-- One-time withdraw links: the ott is spent by the payout that uses it.
create table lnurlw_links (
  ott          text primary key,
  wallet_id    text not null references wallets (id),
  num_satoshis bigint,
  memo         text,
  pass_thru    jsonb,
  created_at   bigint not null,
  used_at      bigint
);

-- Each withdrawRequest served hands out a k1; a callback spends it once, before it expires.
create table lnurlw_k1 (
  k1         text primary key,
  wallet_id  text not null references wallets (id),
  ott        text references lnurlw_links (ott),
  -- The payout limit and labels are fixed when the k1 is handed out (null limit = the balance).
  max_msat   bigint,
  memo       text,
  pass_thru  jsonb,
  created_at bigint not null,
  expires_at bigint not null,
  used_at    bigint
);
create index lnurlw_k1_wallet_expiry on lnurlw_k1 (wallet_id, expires_at);

-- Wallets from before LNURL support get their default LNURL-pay link (§3.1).
insert into lnurlp_links (id, wallet_id, created_at, updated_at, user_label, min_sendable_msat, max_sendable_msat, short_desc)
select 'lnurlp_' || substr(md5(w.id || random()::text), 1, 18), w.id, w.created_at, w.created_at,
       'LNURL-pay ' || w.user_label, 1000, 100000000000, w.user_label
  from wallets w;
update wallets w set default_lnurlpay_id = l.id from lnurlp_links l where l.wallet_id = w.id;

-- Pays several invoices of this node from wallets of this node in one
-- statement, in order, each on its own: payment i settles the unsettled
-- incoming invoice p_hashes[i] of wallet p_payees[i] with p_preimages[i] and
-- posts p_amounts[i] msat from wallet p_payers[i] to it (ledger_post_many).
-- A payment whose invoice is settled already (or is not that wallet's) is
-- refused as 'paid'; one the ledger refuses leaves its invoice unsettled.
-- Invoices are locked first, in hash order, then wallets, as a single
-- settlement locks them (the invoice, then its entry's wallets).
-- Returns ledger_post_many's rows (entry_no = i - 1), a posted entry's with its
-- invoice as settled, and one 'paid' row per payment refused for its invoice.
create function settle_internal_many(
  p_now bigint, p_hashes text[], p_preimages text[], p_payers text[], p_payees text[], p_amounts int8[]
) returns table (entry_no int, entry_id bigint, refused text, wallet wallets, invoice jsonb) language plpgsql as $$
declare
  v_payable int[];
  v_entries int[];
  v_accounts text[];
  v_amounts int8[];
begin
  perform 1 from lntx where direction = 'in' and payment_hash = any(p_hashes) order by payment_hash collate "C" for update;
  select coalesce(array_agg(u.i::int - 1 order by u.i), '{}') into v_payable
    from unnest(p_hashes, p_payees) with ordinality u(h, payee, i)
    join lntx l on l.direction = 'in' and l.payment_hash = u.h and l.wallet_id = u.payee and l.settled = 0;
  -- Each payable payment's entry: payer debited, payee credited.
  select array_agg(n order by n, side),
         array_agg(case side when 1 then p_payers[n + 1] else p_payees[n + 1] end order by n, side),
         array_agg(case side when 1 then -p_amounts[n + 1] else p_amounts[n + 1] end order by n, side)
    into v_entries, v_accounts, v_amounts
    from unnest(v_payable) n, generate_series(1, 2) side;
  return query
    with posted as (
      select r.entry_no, r.entry_id, r.refused, r.wallet
        from ledger_post_many('internal_payment', p_now, v_entries, v_accounts, v_amounts) r),
    settled as (
      update lntx l set settled = 1, settled_at = p_now, payment_preimage = p_preimages[e.n + 1],
                        num_satoshis = p_amounts[e.n + 1] / 1000
        from (select distinct p.entry_no as n from posted p where p.refused is null) e
       where l.direction = 'in' and l.payment_hash = p_hashes[e.n + 1] and l.settled = 0
      returning e.n, to_jsonb(l.*) as settled_row)
    select p.entry_no, p.entry_id, p.refused, p.wallet, s.settled_row
      from posted p left join settled s on s.n = p.entry_no
    union all
    select i::int - 1, null::int8, 'paid'::text, null::wallets, null::jsonb
      from generate_series(1, coalesce(array_length(p_hashes, 1), 0)) i
     where not (i::int - 1 = any(v_payable));
end $$;

-- Posts several ledger entries between wallets in one statement, in order, each
-- on its own: an entry that would overdraw a wallet, take one past the exact
-- limit or name a wallet that does not exist is refused (and named) instead of
-- aborting the others. It writes nothing for a refused entry, so the statement
-- never trips the CHECKs that would abort them all; those stay the last word.
-- p_entries[i] numbers the entry that posting i (p_accounts[i], p_amounts[i])
-- belongs to. Every wallet named is locked first, in ascending id (code point)
-- order, as ledger_post locks: batches and single entries cannot deadlock.
-- Returns, per entry, one row per wallet with its balance after that entry,
-- or one row naming why it was refused.
create function ledger_post_many(p_kind text, p_now bigint, p_entries int[], p_accounts text[], p_amounts int8[])
  returns table (entry_no int, entry_id bigint, refused text, wallet wallets) language plpgsql as $$
declare
  v_no int;
  v_entry bigint;
  v_refused text;
  v_account text;
  v_amount int8;
  v_wallet wallets;
begin
  perform 1 from wallets where id = any(p_accounts) order by id collate "C" for update;
  for v_no in select distinct e from unnest(p_entries) e order by e loop
    select case
             when count(w.id) < count(*) then 'unknown'
             when bool_or(w.balance_msat + u.m < 0) then 'insufficient'
             when bool_or(w.balance_msat + u.m > 9007199254740991) then 'limit'
           end
      into v_refused
      from unnest(p_entries, p_accounts, p_amounts) u(e, a, m)
      left join wallets w on w.id = u.a
     where u.e = v_no;
    entry_no := v_no;
    if v_refused is not null then
      entry_id := null;
      refused := v_refused;
      wallet := null;
      return next;
      continue;
    end if;
    insert into ledger_entries (kind, created_at) values (p_kind, p_now) returning id into v_entry;
    entry_id := v_entry;
    refused := null;
    for v_account, v_amount in
      select u.a, u.m from unnest(p_entries, p_accounts, p_amounts) u(e, a, m) where u.e = v_no order by u.a collate "C"
    loop
      update wallets w set balance_msat = w.balance_msat + v_amount, updated_at = p_now
       where w.id = v_account
      returning w.* into v_wallet;
      wallet := v_wallet;
      return next;
    end loop;
    insert into postings (entry_id, account, amount_msat)
    select v_entry, u.a, u.m from unnest(p_entries, p_accounts, p_amounts) u(e, a, m) where u.e = v_no and u.m <> 0;
  end loop;
end $$;

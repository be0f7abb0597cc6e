-- Posts one ledger entry: the statement ledger/ledger.ts used to send, as a
-- function. Each wallet is locked and updated by its primary key, in the order
-- given (ascending ids: concurrent entries cannot deadlock), so the plan is an
-- index lookup per wallet however large or bloated the table is; the one
-- statement before it let a generic plan scan the whole table, twice.
-- Returns one row per wallet named (with its balance after), or one row with
-- a null wallet when the entry moves only system accounts.
create function ledger_post(p_kind text, p_now bigint, p_accounts text[], p_amounts int8[])
  returns table (entry_id bigint, wallet wallets) language plpgsql as $$
declare
  v_entry bigint;
  v_wallet wallets;
  v_any boolean := false;
begin
  insert into ledger_entries (kind, created_at) values (p_kind, p_now) returning id into v_entry;
  for i in 1 .. coalesce(array_length(p_accounts, 1), 0) loop
    update wallets w set balance_msat = w.balance_msat + p_amounts[i], updated_at = p_now
     where w.id = p_accounts[i]
    returning w.* into v_wallet;
    if found then
      v_any := true;
      entry_id := v_entry;
      wallet := v_wallet;
      return next;
    end if;
  end loop;
  insert into postings (entry_id, account, amount_msat)
  select v_entry, a, m from unnest(p_accounts, p_amounts) as u(a, m) where m <> 0;
  if not v_any then
    entry_id := v_entry;
    wallet := null;
    return next;
  end if;
end $$;

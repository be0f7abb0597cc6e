-- ledger_post_many (migration 008) with the same contract, in a handful of
-- statements whatever the number of entries: it ran five statements an entry,
-- and the wallets it locks stay locked for the whole batch, so every statement
-- of a batch was one more that the next batch waited for. Now the wallets are
-- locked and read once, the entries are decided in memory in order (each sees
-- the balances the ones before it left), and what posted is written with one
-- INSERT of entries, one of postings and one UPDATE of the wallets. Deciding
-- first means a refused entry still writes nothing; the CHECKs and the zero-sum
-- trigger still have the last word on what is written.
create or replace function ledger_post_many(p_kind text, p_now bigint, p_entries int[], p_accounts text[], p_amounts int8[])
  returns table (entry_no int, entry_id bigint, refused text, wallet wallets) language plpgsql as $$
declare
  -- The locked wallets, by id (code point order), and their balances as the entries post.
  v_ids text[];
  v_balances int8[];
  v_touched boolean[];
  -- The postings sorted by entry, then account; v_at[i]: their wallet's index in v_ids (null: unknown).
  v_entry int[];
  v_account text[];
  v_amount int8[];
  v_at int[];
  -- What is written: posting k of posted entry v_of[k] (1-based among the posted).
  v_of int[] := '{}';
  v_of_account text[] := '{}';
  v_of_amount int8[] := '{}';
  v_posted int := 0;
  v_entry_ids int8[];
  -- The answer, a row each: entry number, its posted index or refusal, the wallet and its balance after.
  r_no int[] := '{}';
  r_posted int[] := '{}';
  r_refused text[] := '{}';
  r_at int[] := '{}';
  r_balance int8[] := '{}';
  v_rows wallets[];
  v_row_ids text[];
  v_wallet wallets;
  v_refused text;
  v_first int := 1;
  v_last int;
  v_count int;
  i int;
begin
  select coalesce(array_agg(w.id order by w.id collate "C"), '{}'),
         coalesce(array_agg(w.balance_msat order by w.id collate "C"), '{}')
    into v_ids, v_balances
    from (select id, balance_msat from wallets where id = any(p_accounts) order by id collate "C" for update) w;
  v_touched := array_fill(false, array[coalesce(array_length(v_ids, 1), 0)]);
  select array_agg(u.e order by u.e, u.a collate "C"), array_agg(u.a order by u.e, u.a collate "C"),
         array_agg(u.m order by u.e, u.a collate "C"), array_agg(array_position(v_ids, u.a) order by u.e, u.a collate "C")
    into v_entry, v_account, v_amount, v_at
    from unnest(p_entries, p_accounts, p_amounts) u(e, a, m);
  v_count := coalesce(array_length(v_entry, 1), 0);
  while v_first <= v_count loop
    v_last := v_first;
    while v_last < v_count and v_entry[v_last + 1] = v_entry[v_first] loop
      v_last := v_last + 1;
    end loop;
    -- The reasons in 008's order: an unknown wallet, then an overdraft, then the limit.
    v_refused := null;
    for i in v_first .. v_last loop
      if v_at[i] is null then v_refused := 'unknown'; end if;
    end loop;
    if v_refused is null then
      for i in v_first .. v_last loop
        if v_balances[v_at[i]] + v_amount[i] < 0 then v_refused := 'insufficient'; end if;
      end loop;
    end if;
    if v_refused is null then
      for i in v_first .. v_last loop
        if v_balances[v_at[i]] + v_amount[i] > 9007199254740991 then v_refused := 'limit'; end if;
      end loop;
    end if;
    if v_refused is not null then
      r_no := r_no || v_entry[v_first];
      r_posted := r_posted || null::int;
      r_refused := r_refused || v_refused;
      r_at := r_at || null::int;
      r_balance := r_balance || null::int8;
    else
      v_posted := v_posted + 1;
      for i in v_first .. v_last loop
        v_balances[v_at[i]] := v_balances[v_at[i]] + v_amount[i];
        v_touched[v_at[i]] := true;
        r_no := r_no || v_entry[i];
        r_posted := r_posted || v_posted;
        r_refused := r_refused || null::text;
        r_at := r_at || v_at[i];
        r_balance := r_balance || v_balances[v_at[i]];
        if v_amount[i] <> 0 then
          v_of := v_of || v_posted;
          v_of_account := v_of_account || v_account[i];
          v_of_amount := v_of_amount || v_amount[i];
        end if;
      end loop;
    end if;
    v_first := v_last + 1;
  end loop;
  if v_posted > 0 then
    with inserted as (
      insert into ledger_entries (kind, created_at) select p_kind, p_now from generate_series(1, v_posted) returning id)
    select array_agg(inserted.id order by inserted.id) into v_entry_ids from inserted;
    insert into postings (entry_id, account, amount_msat)
    select v_entry_ids[u.k], u.a, u.m from unnest(v_of, v_of_account, v_of_amount) u(k, a, m);
    -- The balances were read under the lock this transaction still holds.
    with updated as (
      update wallets w set balance_msat = u.b, updated_at = p_now
        from unnest(v_ids, v_balances, v_touched) u(id, b, t)
       where u.t and w.id = u.id
      returning w as wr)
    select array_agg(updated.wr), array_agg((updated.wr).id) into v_rows, v_row_ids from updated;
  end if;
  for i in 1 .. coalesce(array_length(r_no, 1), 0) loop
    entry_no := r_no[i];
    refused := r_refused[i];
    if refused is not null then
      entry_id := null;
      wallet := null;
    else
      entry_id := v_entry_ids[r_posted[i]];
      v_wallet := v_rows[array_position(v_row_ids, v_ids[r_at[i]])];
      v_wallet.balance_msat := r_balance[i];
      wallet := v_wallet;
    end if;
    return next;
  end loop;
end $$;

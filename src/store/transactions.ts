import type { Queryable } from './db.ts';
import { rowsInsert } from './rowsInsert.ts';
import { type Sort, sqlOrder } from './sort.ts';
import type { LntxRow } from './lntx.ts';
import type { WalletRow } from './wallets.ts';

export interface WtxRow {
  id: string;
  wallet_id: string;
  created_at: number;
  num_satoshis: number;
  type_id: number;
  user_label: string | null;
  lntx_id: string | null;
  pass_thru: Record<string, unknown> | null;
  balance_after_msat: number;
}

/** A wallet transaction with what its JSON embeds: the wallet and the LnTx. */
export interface WtxView {
  wtx: WtxRow;
  wallet: WalletRow;
  lntx: LntxRow | null;
}

export type NewWtx = WtxRow & { entry_id: number };

const wtxInsert = rowsInsert<NewWtx>('wallet_transactions', {
  id: 'text',
  wallet_id: 'text',
  created_at: 'int8',
  num_satoshis: 'int8',
  type_id: 'int4',
  user_label: 'text',
  lntx_id: 'text',
  pass_thru: 'jsonb',
  entry_id: 'int8',
  balance_after_msat: 'int8',
});

/**
 * Inserts wallet transactions, in one statement. No column has a default that
 * shows in their JSON, so the rows are known before the insert: a caller may
 * build what depends on them (events) and send it in the same pipeline.
 */
export async function insertWtx(q: Queryable, ...rows: [NewWtx, ...NewWtx[]]): Promise<void> {
  await q.query(wtxInsert.sql, wtxInsert.params(rows));
}

const VIEW_SELECT = `
  select to_jsonb(t.*) - 'entry_id' - 'seq' as wtx,
         to_jsonb(w.*) as wallet,
         to_jsonb(l.*) as lntx
    from wallet_transactions t
    join wallets w on w.id = t.wallet_id
    left join lntx l on l.id = t.lntx_id`;

export async function listWtx(
  q: Queryable,
  filter: { walletId: string | undefined; sort: Sort; limit: number; offset: number },
): Promise<WtxView[]> {
  const order = sqlOrder(filter.sort, { created_at: 't.created_at', num_satoshis: 't.num_satoshis' }, 't.seq');
  const where = filter.walletId ? 'where t.wallet_id = $3' : '';
  const params: unknown[] = [filter.limit, filter.offset];
  if (filter.walletId) params.push(filter.walletId);
  return q.query<WtxView>(
    `${VIEW_SELECT} ${where} order by ${order} limit $1 offset $2`,
    params,
  );
}

export async function countWtx(q: Queryable, walletId?: string): Promise<number> {
  const [row] = walletId
    ? await q.query<{ n: number }>('select count(*)::int8 as n from wallet_transactions where wallet_id = $1', [walletId])
    : await q.query<{ n: number }>('select count(*)::int8 as n from wallet_transactions');
  return row?.n ?? 0;
}

export async function findWtxViews(q: Queryable, ids: string[]): Promise<WtxView[]> {
  return q.query<WtxView>(`${VIEW_SELECT} where t.id = any($1::text[])`, [ids]);
}

import type { Queryable } from './db.ts';
import { type Sort, sqlOrder } from './sort.ts';

export interface WalletRow {
  id: string;
  user_label: string;
  created_at: number;
  updated_at: number;
  status: string;
  wallet_type: string;
  ln_node_id: string;
  balance_msat: number;
  default_lnurlpay_id: string | null;
}

export const WALLET_COLUMNS = 'id, user_label, created_at, updated_at, status, wallet_type, ln_node_id, balance_msat, default_lnurlpay_id';

export async function insertWallet(
  q: Queryable,
  w: { id: string; userLabel: string; lnNodeId: string; defaultLnurlpayId: string | null; now: number },
): Promise<WalletRow> {
  const [row] = await q.query<WalletRow>(
    `insert into wallets (id, user_label, created_at, updated_at, ln_node_id, default_lnurlpay_id) values ($1, $2, $3, $3, $4, $5)
     on conflict (id) do nothing returning ${WALLET_COLUMNS}`,
    [w.id, w.userLabel, w.now, w.lnNodeId, w.defaultLnurlpayId],
  );
  if (!row) throw new WalletIdTakenError(w.id);
  return row;
}

export class WalletIdTakenError extends Error {
  constructor(readonly walletId: string) {
    super(`wallet id ${walletId} already exists`);
  }
}

export async function insertWalletKeys(
  q: Queryable,
  walletId: string,
  keys: { hash: string; role: string; plain?: string | null }[],
  now: number,
): Promise<void> {
  await q.query(
    `insert into wallet_keys (key_hash, wallet_id, role, created_at, key_plain)
     select h, $1, r, $2, p from unnest($3::text[], $4::text[], $5::text[]) as k(h, r, p)`,
    [walletId, now, keys.map((k) => k.hash), keys.map((k) => k.role), keys.map((k) => k.plain ?? null)],
  );
}

export async function findWallet(q: Queryable, id: string): Promise<WalletRow | undefined> {
  const [row] = await q.query<WalletRow>(`select ${WALLET_COLUMNS} from wallets where id = $1`, [id]);
  return row;
}

export async function findWalletByKeyHash(
  q: Queryable,
  keyHash: string,
): Promise<(WalletRow & { role: string }) | undefined> {
  const [row] = await q.query<WalletRow & { role: string }>(
    `select w.id, w.user_label, w.created_at, w.updated_at, w.status, w.wallet_type, w.ln_node_id, w.balance_msat, w.default_lnurlpay_id, k.role
       from wallet_keys k join wallets w on w.id = k.wallet_id where k.key_hash = $1`,
    [keyHash],
  );
  return row;
}

export async function listWallets(
  q: Queryable,
  sort: Sort,
  page: { limit: number; offset: number },
): Promise<WalletRow[]> {
  const order = sqlOrder(sort, { created_at: 'created_at', updated_at: 'updated_at', user_label: 'user_label', id: 'id' }, 'seq');
  return q.query<WalletRow>(`select ${WALLET_COLUMNS} from wallets order by ${order} limit $1 offset $2`, [
    page.limit,
    page.offset,
  ]);
}

export async function countWallets(q: Queryable): Promise<number> {
  const [row] = await q.query<{ n: number }>('select count(*)::int8 as n from wallets');
  return row?.n ?? 0;
}

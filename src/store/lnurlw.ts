import type { Queryable } from './db.ts';

export interface LnurlwLinkRow {
  ott: string;
  wallet_id: string;
  num_satoshis: number | null;
  memo: string | null;
  pass_thru: Record<string, unknown> | null;
  created_at: number;
  used_at: number | null;
}

const LINK_COLUMNS = 'ott, wallet_id, num_satoshis, memo, pass_thru, created_at, used_at';

export async function insertWithdrawLink(q: Queryable, l: Omit<LnurlwLinkRow, 'used_at'>): Promise<void> {
  await q.query(
    `insert into lnurlw_links (ott, wallet_id, num_satoshis, memo, pass_thru, created_at) values ($1, $2, $3, $4, $5::jsonb, $6)`,
    [l.ott, l.wallet_id, l.num_satoshis, l.memo, l.pass_thru, l.created_at],
  );
}

export async function findWithdrawLink(q: Queryable, ott: string): Promise<LnurlwLinkRow | undefined> {
  const [row] = await q.query<LnurlwLinkRow>(`select ${LINK_COLUMNS} from lnurlw_links where ott = $1`, [ott]);
  return row;
}

export interface K1Row {
  k1: string;
  wallet_id: string;
  ott: string | null;
  max_msat: number | null;
  memo: string | null;
  pass_thru: Record<string, unknown> | null;
  created_at: number;
  expires_at: number;
}

/** Expired k1s of the wallet are dropped as new ones are handed out, so scanning a link leaves nothing behind. */
export async function insertK1(q: Queryable, k: K1Row): Promise<void> {
  await q.query('delete from lnurlw_k1 where wallet_id = $1 and expires_at <= $2', [k.wallet_id, k.created_at]);
  await q.query(
    `insert into lnurlw_k1 (k1, wallet_id, ott, max_msat, memo, pass_thru, created_at, expires_at)
     values ($1, $2, $3, $4, $5, $6::jsonb, $7, $8)`,
    [k.k1, k.wallet_id, k.ott, k.max_msat, k.memo, k.pass_thru, k.created_at, k.expires_at],
  );
}

export type K1State = 'unknown' | 'used' | 'expired';

/**
 * Spends a k1 (and the one-time link it belongs to) for one payout. The guarded
 * updates are the lock: of two concurrent callbacks only one sees a row come back.
 */
export async function claimK1(
  q: Queryable,
  c: { k1: string; walletId: string; ott: string | null; now: number },
): Promise<K1State | K1Row> {
  const [claimed] = await q.query<K1Row>(
    `update lnurlw_k1 set used_at = $4
      where k1 = $1 and wallet_id = $2 and ott is not distinct from $3 and used_at is null and expires_at > $4
      returning k1, wallet_id, ott, max_msat, memo, pass_thru, created_at, expires_at`,
    [c.k1, c.walletId, c.ott, c.now],
  );
  if (!claimed) {
    const [row] = await q.query<{ used_at: number | null; expires_at: number }>(
      'select used_at, expires_at from lnurlw_k1 where k1 = $1 and wallet_id = $2 and ott is not distinct from $3',
      [c.k1, c.walletId, c.ott],
    );
    if (!row) return 'unknown';
    return row.used_at !== null ? 'used' : 'expired';
  }
  if (c.ott === null) return claimed;
  const [link] = await q.query<{ ott: string }>(
    'update lnurlw_links set used_at = $2 where ott = $1 and used_at is null returning ott',
    [c.ott, c.now],
  );
  return link ? claimed : 'used';
}

/** A payout that failed gives its k1 (and one-time link) back, so the user can try again. */
export async function releaseK1(q: Queryable, k1: string, ott: string | null): Promise<void> {
  await q.query('update lnurlw_k1 set used_at = null where k1 = $1', [k1]);
  if (ott !== null) await q.query('update lnurlw_links set used_at = null where ott = $1', [ott]);
}

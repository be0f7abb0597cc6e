import type { Queryable } from './db.ts';
import { sqlState } from './db.ts';

export interface LnurlpRow {
  id: string;
  wallet_id: string;
  created_at: number;
  updated_at: number;
  user_label: string | null;
  min_sendable_msat: number;
  max_sendable_msat: number;
  short_desc: string;
  comment_allowed: number;
  identifier: string | null;
  status: 'active' | 'inactive';
}

export type LnurlpFields = Pick<
  LnurlpRow,
  'user_label' | 'min_sendable_msat' | 'max_sendable_msat' | 'short_desc' | 'comment_allowed' | 'identifier'
>;

const COLUMNS = `id, wallet_id, created_at, updated_at, user_label, min_sendable_msat, max_sendable_msat, short_desc,
  comment_allowed, identifier, status`;

export class IdentifierTakenError extends Error {
  constructor(readonly identifier: string) {
    super(`lightning address ${identifier} is taken`);
  }
}

/** The unique index on identifier decides who gets an address; the loser hears it as this error. */
async function guardIdentifier<T>(identifier: string | null, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (sqlState(err) === '23505' && identifier) throw new IdentifierTakenError(identifier);
    throw err;
  }
}

export async function insertLnurlp(
  q: Queryable,
  l: LnurlpFields & { id: string; wallet_id: string; now: number },
): Promise<LnurlpRow> {
  const [row] = await guardIdentifier(l.identifier, () =>
    q.query<LnurlpRow>(
      `insert into lnurlp_links (id, wallet_id, created_at, updated_at, user_label, min_sendable_msat, max_sendable_msat,
         short_desc, comment_allowed, identifier)
       values ($1, $2, $3, $3, $4, $5, $6, $7, $8, $9) returning ${COLUMNS}`,
      [l.id, l.wallet_id, l.now, l.user_label, l.min_sendable_msat, l.max_sendable_msat, l.short_desc, l.comment_allowed, l.identifier],
    ),
  );
  if (!row) throw new Error('lnurlp insert returned nothing');
  return row;
}

export async function updateLnurlp(q: Queryable, id: string, l: LnurlpFields & { now: number }): Promise<LnurlpRow | undefined> {
  const [row] = await guardIdentifier(l.identifier, () =>
    q.query<LnurlpRow>(
      `update lnurlp_links set user_label = $2, min_sendable_msat = $3, max_sendable_msat = $4, short_desc = $5,
         comment_allowed = $6, identifier = $7, updated_at = $8
       where id = $1 returning ${COLUMNS}`,
      [id, l.user_label, l.min_sendable_msat, l.max_sendable_msat, l.short_desc, l.comment_allowed, l.identifier, l.now],
    ),
  );
  return row;
}

export async function findLnurlp(q: Queryable, id: string): Promise<LnurlpRow | undefined> {
  const [row] = await q.query<LnurlpRow>(`select ${COLUMNS} from lnurlp_links where id = $1`, [id]);
  return row;
}

export async function findLnurlpByIdentifier(q: Queryable, identifier: string): Promise<LnurlpRow | undefined> {
  const [row] = await q.query<LnurlpRow>(`select ${COLUMNS} from lnurlp_links where identifier = $1`, [identifier]);
  return row;
}

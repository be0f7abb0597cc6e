import type { Queryable } from './db.ts';
import { InsertBatcher } from './insertBatcher.ts';
import { multiRowInsert } from './multiRowInsert.ts';

export interface LntxRow {
  id: string;
  created_at: number;
  wallet_id: string;
  ln_node_id: string;
  direction: 'in' | 'out';
  dest_pubkey: string;
  payment_request: string;
  payment_hash: string;
  memo: string | null;
  description_hash: string | null;
  payment_addr: string | null;
  num_satoshis: number;
  amount_msat: number | null;
  fee_msat: number;
  expiry: number | null;
  expires_at: number | null;
  payment_preimage: string | null;
  settled: number;
  settled_at: number | null;
  is_keysend: number | null;
  is_amp: number | null;
  custom_records: Record<string, unknown> | null;
  pass_thru: Record<string, unknown> | null;
  /** What an incoming invoice is for: 'lnurlpay' settles as ln_lnurl_pay_inbound. */
  kind: 'invoice' | 'lnurlpay';
}

export type NewLntx = Omit<LntxRow, 'settled' | 'settled_at' | 'payment_preimage' | 'fee_msat' | 'kind'> &
  Partial<Pick<LntxRow, 'settled' | 'settled_at' | 'payment_preimage' | 'fee_msat' | 'kind'>>;

/** jsonb parameters are passed as objects: both drivers serialize them for a ::jsonb cast. */
const COLUMN_LIST = [
  'id', 'created_at', 'wallet_id', 'ln_node_id', 'direction', 'dest_pubkey', 'payment_request', 'payment_hash', 'memo',
  'description_hash', 'payment_addr', 'num_satoshis', 'amount_msat', 'fee_msat', 'expiry', 'expires_at', 'payment_preimage',
  'settled', 'settled_at', 'is_keysend', 'is_amp', 'custom_records', 'pass_thru', 'kind',
] as const satisfies readonly (keyof LntxRow)[];
const COLUMNS = COLUMN_LIST.join(', ');
const insertStatement = multiRowInsert('lntx', COLUMN_LIST, { custom_records: 'jsonb', pass_thru: 'jsonb' });
const inserts = new InsertBatcher(insertStatement);

/** The row an insert of `t` stores, column defaults applied: known before the insert, so it can be pipelined. */
export function lntxRow(t: NewLntx): LntxRow {
  return {
    ...t,
    fee_msat: t.fee_msat ?? 0,
    payment_preimage: t.payment_preimage ?? null,
    settled: t.settled ?? 0,
    settled_at: t.settled_at ?? null,
    kind: t.kind ?? 'invoice',
  };
}

const valuesOf = (row: LntxRow) => COLUMN_LIST.map((column) => row[column]);

export async function insertLntx(q: Queryable, t: NewLntx): Promise<LntxRow> {
  const row = lntxRow(t);
  await q.query(insertStatement(1), valuesOf(row));
  return row;
}

/** Inserts rows made by lntxRow(), in one statement. */
export async function insertLntxRows(q: Queryable, rows: LntxRow[]): Promise<void> {
  await q.query(insertStatement(rows.length), rows.flatMap(valuesOf));
}

/** insertLntx on the database itself, outside any transaction: coalesced with others made at the same time (InsertBatcher). */
export async function insertLntxBatched(db: Queryable, t: NewLntx): Promise<LntxRow> {
  const row = lntxRow(t);
  await inserts.insert(db, valuesOf(row));
  return row;
}

export async function findLntx(q: Queryable, id: string): Promise<LntxRow | undefined> {
  const [row] = await q.query<LntxRow>(`select ${COLUMNS} from lntx where id = $1`, [id]);
  return row;
}

export async function findIncomingByHash(q: Queryable, paymentHash: string): Promise<LntxRow | undefined> {
  const [row] = await q.query<LntxRow>(`select ${COLUMNS} from lntx where direction = 'in' and payment_hash = $1`, [
    paymentHash,
  ]);
  return row;
}

/**
 * Flips an unsettled incoming invoice to settled. Returns undefined when it was
 * already settled: the row lock plus the `settled = 0` guard make this the
 * single point where an invoice can be credited, once.
 */
export async function settleIncoming(
  q: Queryable,
  s: { paymentHash: string; preimage: string; amountMsat: number; now: number },
): Promise<LntxRow | undefined> {
  const [row] = await q.query<LntxRow>(
    `update lntx set settled = 1, settled_at = $3, payment_preimage = $2, num_satoshis = $4
      where direction = 'in' and payment_hash = $1 and settled = 0
      returning ${COLUMNS}`,
    [s.paymentHash, s.preimage, s.now, Math.floor(s.amountMsat / 1000)],
  );
  return row;
}

import { Errors } from '../errors.ts';
import type { Queryable } from '../store/db.ts';
import { sqlConstraint, sqlState } from '../store/db.ts';
import type { LntxRow } from '../store/lntx.ts';
import { WALLET_COLUMNS, type WalletRow } from '../store/wallets.ts';

/** System accounts; every other account is a wallet id. */
export const NODE = 'node';
export const INFLIGHT = 'inflight';
export const FEES = 'fees';
const SYSTEM_ACCOUNTS = new Set([NODE, INFLIGHT, FEES]);

export interface Posting {
  account: string;
  amountMsat: number;
}

export class InsufficientBalanceError extends Error {
  constructor(readonly account: string) {
    super(`account ${account} would go below zero`);
  }
}

export class UnknownAccountError extends Error {
  constructor(readonly account: string) {
    super(`ledger account ${account} does not exist`);
  }
}

export interface PostedEntry {
  entryId: number;
  /** Balance of each wallet touched, after the entry. */
  balances: Map<string, number>;
  /** Each wallet touched, as it is after the entry. */
  wallets: Map<string, WalletRow>;
}

/**
 * Writes one balanced ledger entry: the only place money moves. One statement
 * (one round trip, the function of migration 007) locks the wallets in
 * account order (so concurrent entries cannot deadlock), updates their
 * balances and inserts the entry with its postings; the database's CHECK
 * refuses an overdraft and a deferred trigger refuses an entry that does not
 * sum to zero.
 */
export async function post(q: Queryable, kind: string, postings: Posting[], now: number): Promise<PostedEntry> {
  const merged = balancedPostings(kind, postings);
  const rows = await q
    .query<WalletRow & { entry_id: number }>(
      `select r.entry_id, ${WALLET_COLUMNS}
         from ledger_post($1, $2, $3::text[], $4::int8[]) r
         cross join lateral (select (r.wallet).*) w`,
      [kind, now, merged.map((p) => p.account), merged.map((p) => p.amountMsat)],
    )
    .catch((err: unknown) => {
      if (sqlState(err) === '23514' && sqlConstraint(err) === 'wallet_balance_exact') throw Errors.balanceLimit();
      if (sqlState(err) === '23514') throw new InsufficientBalanceError(debitedWallets(merged));
      throw err;
    });
  const first = rows[0];
  if (!first) throw new Error('ledger entry insert returned nothing');
  const wallets = new Map<string, WalletRow>();
  for (const { entry_id: _, ...wallet } of rows) if (wallet.id !== null) wallets.set(wallet.id, wallet);
  for (const p of merged) {
    if (!SYSTEM_ACCOUNTS.has(p.account) && !wallets.has(p.account)) throw new UnknownAccountError(p.account);
  }
  const balances = new Map([...wallets].map(([id, w]) => [id, w.balance_msat]));
  return { entryId: first.entry_id, balances, wallets };
}

/** Why postMany() refused an entry; it wrote nothing for it. */
export type Refusal = 'insufficient' | 'limit' | 'unknown';

/**
 * Writes several balanced entries between wallets, in order, in one statement
 * (ledger_post_many, migration 008): each entry sees the ones before it, and
 * one that would overdraw a wallet, take it past the exact limit or name a
 * wallet that does not exist is refused on its own, the others written. For
 * entries that move only wallets (no system accounts); the answer is in the
 * order of `entries`.
 */
export async function postMany(
  q: Queryable,
  kind: string,
  entries: Posting[][],
  now: number,
): Promise<(PostedEntry | { refused: Refusal })[]> {
  const numbered = entries.flatMap((postings, no) => balancedPostings(kind, postings).map((p) => ({ no, ...p })));
  const system = numbered.find((p) => SYSTEM_ACCOUNTS.has(p.account));
  if (system) throw new Error(`postMany moves wallets only, not the ${system.account} account`);
  const rows = await q.query<EntryRow<Refusal>>(
    `select r.entry_no, r.entry_id, r.refused, ${WALLET_COLUMNS}
       from ledger_post_many($1, $2, $3::int4[], $4::text[], $5::int8[]) r
       cross join lateral (select (r.wallet).*) w`,
    [kind, now, numbered.map((p) => p.no), numbered.map((p) => p.account), numbered.map((p) => p.amountMsat)],
  );
  return entriesOf(rows, entries.length, kind);
}

/** An incoming invoice of `payee` paid from wallet `payer` (settleInternalMany). */
export interface InternalSettlement {
  paymentHash: string;
  preimage: string;
  amountMsat: number;
  payer: string;
  payee: string;
}

/**
 * Settles several invoices of this node's wallets, each paid by another of its
 * wallets, in order, in one statement (settle_internal_many, migration 009):
 * each invoice flips to settled exactly when its entry posts. One whose
 * invoice is settled already is refused as 'paid'; one the ledger refuses
 * (postMany's reasons) leaves its invoice unsettled.
 */
export async function settleInternalMany(
  q: Queryable,
  payments: InternalSettlement[],
  now: number,
): Promise<({ entry: PostedEntry; invoice: LntxRow } | { refused: Refusal | 'paid' })[]> {
  const rows = await q.query<EntryRow<Refusal | 'paid'> & { invoice: LntxRow | null }>(
    `select r.entry_no, r.entry_id, r.refused, r.invoice, ${WALLET_COLUMNS}
       from settle_internal_many($1, $2::text[], $3::text[], $4::text[], $5::text[], $6::int8[]) r
       cross join lateral (select (r.wallet).*) w`,
    [
      now,
      payments.map((p) => p.paymentHash),
      payments.map((p) => p.preimage),
      payments.map((p) => p.payer),
      payments.map((p) => p.payee),
      payments.map((p) => p.amountMsat),
    ],
  );
  const invoices = new Map<number, LntxRow>();
  const entryRows = rows.map(({ invoice, ...row }) => {
    if (invoice) invoices.set(row.entry_no, invoice);
    return row;
  });
  return entriesOf(entryRows, payments.length, 'internal_payment').map((entry, no) => {
    if ('refused' in entry) return entry;
    const invoice = invoices.get(no);
    if (!invoice) throw new Error(`internal payment ${no} posted without settling its invoice`);
    return { entry, invoice };
  });
}

type EntryRow<R extends string> = WalletRow & { entry_no: number; entry_id: number | null; refused: R | null };

/** The rows of ledger_post_many (one per wallet of each posted entry, one per refusal), entry by entry. */
function entriesOf<R extends string>(rows: EntryRow<R>[], count: number, kind: string): (PostedEntry | { refused: R })[] {
  const results: (PostedEntry | { refused: R } | undefined)[] = Array.from({ length: count }, () => undefined);
  for (const { entry_no: no, entry_id: entryId, refused, ...wallet } of rows) {
    if (refused) {
      results[no] = { refused };
      continue;
    }
    if (entryId === null) throw new Error(`ledger entry ${no} of ${kind} has neither an id nor a refusal`);
    const found = results[no];
    const entry = found && 'entryId' in found ? found : { entryId, balances: new Map<string, number>(), wallets: new Map<string, WalletRow>() };
    entry.wallets.set(wallet.id, wallet);
    entry.balances.set(wallet.id, wallet.balance_msat);
    results[no] = entry;
  }
  return results.map((result, no) => {
    if (!result) throw new Error(`ledger entry ${no} of ${kind} got no answer`);
    return result;
  });
}

function debitedWallets(postings: Posting[]): string {
  return postings.filter((p) => p.amountMsat < 0 && !SYSTEM_ACCOUNTS.has(p.account)).map((p) => p.account).join(', ');
}

/** The entry's postings merged per account (mergePostings); throws unless they are whole msat summing to zero. */
function balancedPostings(kind: string, postings: Posting[]): Posting[] {
  const merged = mergePostings(postings);
  const total = merged.reduce((sum, p) => sum + p.amountMsat, 0);
  if (total !== 0) throw new Error(`ledger entry ${kind} does not balance: ${total} msat`);
  for (const p of merged) {
    if (!Number.isSafeInteger(p.amountMsat)) throw new Error(`posting ${p.amountMsat} is not an integer msat amount`);
  }
  return merged;
}

/**
 * One posting per account. A wallet whose postings net to zero stays in (locked,
 * returned with its balance, no posting row written): callers report every
 * wallet they named, e.g. a payment whose fee took exactly its reserve.
 */
function mergePostings(postings: Posting[]): Posting[] {
  const byAccount = new Map<string, number>();
  for (const p of postings) byAccount.set(p.account, (byAccount.get(p.account) ?? 0) + p.amountMsat);
  return [...byAccount.entries()]
    .filter(([account, amountMsat]) => amountMsat !== 0 || !SYSTEM_ACCOUNTS.has(account))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([account, amountMsat]) => ({ account, amountMsat }));
}

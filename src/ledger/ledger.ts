import { Errors } from '../errors.ts';
import type { Queryable } from '../store/db.ts';
import { sqlConstraint, sqlState } from '../store/db.ts';
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
  const merged = mergePostings(postings);
  const total = merged.reduce((sum, p) => sum + p.amountMsat, 0);
  if (total !== 0) throw new Error(`ledger entry ${kind} does not balance: ${total} msat`);
  for (const p of merged) {
    if (!Number.isSafeInteger(p.amountMsat)) throw new Error(`posting ${p.amountMsat} is not an integer msat amount`);
  }
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

function debitedWallets(postings: Posting[]): string {
  return postings.filter((p) => p.amountMsat < 0 && !SYSTEM_ACCOUNTS.has(p.account)).map((p) => p.account).join(', ');
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

import type { Queryable } from '../store/db.ts';
import { sqlState } from '../store/db.ts';

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

export interface PostedEntry {
  entryId: number;
  /** Balance of each wallet touched, after the entry. */
  balances: Map<string, number>;
}

/**
 * Writes one balanced ledger entry: the only place money moves. Wallet
 * balances are updated in account order (so concurrent entries cannot
 * deadlock); the database's CHECK refuses an overdraft and a deferred trigger
 * refuses an entry that does not sum to zero.
 */
export async function post(q: Queryable, kind: string, postings: Posting[], now: number): Promise<PostedEntry> {
  const merged = mergePostings(postings);
  const total = merged.reduce((sum, p) => sum + p.amountMsat, 0);
  if (total !== 0) throw new Error(`ledger entry ${kind} does not balance: ${total} msat`);
  for (const p of merged) {
    if (!Number.isSafeInteger(p.amountMsat)) throw new Error(`posting ${p.amountMsat} is not an integer msat amount`);
  }
  const balances = new Map<string, number>();
  for (const p of merged) {
    if (SYSTEM_ACCOUNTS.has(p.account)) continue;
    const rows = await q
      .query<{ balance_msat: number }>(
        'update wallets set balance_msat = balance_msat + $2, updated_at = $3 where id = $1 returning balance_msat',
        [p.account, p.amountMsat, now],
      )
      .catch((err: unknown) => {
        if (sqlState(err) === '23514') throw new InsufficientBalanceError(p.account);
        throw err;
      });
    const row = rows[0];
    if (!row) throw new Error(`ledger account ${p.account} does not exist`);
    balances.set(p.account, row.balance_msat);
  }
  const [entry] = await q.query<{ id: number }>(
    `with e as (insert into ledger_entries (kind, created_at) values ($1, $2) returning id)
     insert into postings (entry_id, account, amount_msat)
     select e.id, a, m from e, unnest($3::text[], $4::int8[]) as p(a, m)
     returning entry_id as id`,
    [kind, now, merged.map((p) => p.account), merged.map((p) => p.amountMsat)],
  );
  if (!entry) throw new Error('ledger entry insert returned nothing');
  return { entryId: entry.id, balances };
}

function mergePostings(postings: Posting[]): Posting[] {
  const byAccount = new Map<string, number>();
  for (const p of postings) byAccount.set(p.account, (byAccount.get(p.account) ?? 0) + p.amountMsat);
  return [...byAccount.entries()]
    .filter(([, amountMsat]) => amountMsat !== 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([account, amountMsat]) => ({ account, amountMsat }));
}

import type { Queryable } from '../store/db.ts';

export interface LedgerReport {
  ok: boolean;
  problems: string[];
}

/**
 * The ledger's promises, checked from the data alone: every entry sums to
 * zero, no wallet is negative, each cached balance equals its postings, and
 * every settled incoming invoice is credited exactly once.
 */
export async function checkLedger(q: Queryable): Promise<LedgerReport> {
  const problems: string[] = [];
  const unbalanced = await q.query<{ entry_id: number; total: number }>(
    'select entry_id, sum(amount_msat)::int8 as total from postings group by entry_id having sum(amount_msat) <> 0',
  );
  for (const r of unbalanced) problems.push(`entry ${r.entry_id} sums to ${r.total} msat`);
  const [total] = await q.query<{ total: number }>('select coalesce(sum(amount_msat), 0)::int8 as total from postings');
  if (total && total.total !== 0) problems.push(`all postings sum to ${total.total} msat`);
  const drift = await q.query<{ id: string; balance_msat: number; posted: number }>(
    `select w.id, w.balance_msat, coalesce(p.posted, 0)::int8 as posted
       from wallets w left join (select account, sum(amount_msat) as posted from postings group by account) p
         on p.account = w.id
      where w.balance_msat <> coalesce(p.posted, 0) or w.balance_msat < 0`,
  );
  for (const r of drift) problems.push(`wallet ${r.id} balance ${r.balance_msat} msat, postings ${r.posted} msat`);
  const credits = await q.query<{ id: string; n: number }>(
    `select l.id, count(t.id)::int8 as n from lntx l
       left join wallet_transactions t on t.lntx_id = l.id and t.num_satoshis > 0
      where l.direction = 'in' and l.settled = 1 group by l.id having count(t.id) <> 1`,
  );
  for (const r of credits) problems.push(`settled invoice ${r.id} credited ${r.n} times`);
  return { ok: problems.length === 0, problems };
}

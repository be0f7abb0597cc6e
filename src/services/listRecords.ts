import type { Sort } from '../store/sort.ts';
import { countWtx, listWtx } from '../store/transactions.ts';
import { countWallets, listWallets as selectWallets } from '../store/wallets.ts';
import type { ServiceContext } from './context.ts';

export interface PageWindow {
  limit: number;
  offset: number;
  page: number;
}

/** Lists are paged after counting, because LNPay serves the last page for a page past the end. */
export async function listWallets(ctx: ServiceContext, sort: Sort, paginate: (total: number) => PageWindow) {
  const total = await countWallets(ctx.db);
  const page = paginate(total);
  return { rows: await selectWallets(ctx.db, sort, page), total, page };
}

export async function listTransactions(
  ctx: ServiceContext,
  walletId: string | undefined,
  sort: Sort,
  paginate: (total: number) => PageWindow,
) {
  const total = await countWtx(ctx.db, walletId);
  const page = paginate(total);
  return { rows: await listWtx(ctx.db, { walletId, sort, ...page }), total, page };
}

import { Errors } from '../errors.ts';
import { lntxWithPassThruJson } from '../model/present.ts';
import { findLntx } from '../store/lntx.ts';
import type { ServiceContext } from './context.ts';

/** All wallets belong to the one account, so any valid API key may read any LnTx. */
export async function getLntx(ctx: ServiceContext, id: string) {
  const lntx = await findLntx(ctx.db, id);
  if (!lntx) throw Errors.lntxNotFound();
  return lntxWithPassThruJson(lntx);
}

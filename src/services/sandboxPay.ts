import { Bolt11Error } from '../bolt11/index.ts';
import { Errors } from '../errors.ts';
import { LightningError } from '../lightning/backend.ts';
import { nowSeconds } from '../lib/time.ts';
import { lntxWithPassThruJson } from '../model/present.ts';
import { findIncomingByHash } from '../store/lntx.ts';
import type { ServiceContext } from './context.ts';
import { settleIncoming } from './settleIncoming.ts';

/** Embedded mode only: pays one of our invoices as if from outside the node. */
export async function sandboxPay(ctx: ServiceContext, paymentRequest: string) {
  const sandbox = ctx.lightning.sandbox;
  if (!sandbox) throw Errors.sandboxUnavailable();
  let payment;
  try {
    payment = sandbox.receiveFromOutside(paymentRequest, nowSeconds());
  } catch (err) {
    if (err instanceof Bolt11Error) throw Errors.invoiceDecode(err.message);
    if (err instanceof LightningError) {
      throw err.message === 'invoice expired' ? Errors.invoiceExpired() : Errors.sandboxNotOurInvoice();
    }
    throw err;
  }
  const settled = await settleIncoming(ctx, payment);
  if (settled) return lntxWithPassThruJson(settled);
  const existing = await findIncomingByHash(ctx.db, payment.paymentHash);
  if (!existing) throw Errors.sandboxNotOurInvoice();
  throw Errors.invoiceAlreadyPaid();
}

import { Errors } from '../errors.ts';
import type { ServiceContext } from './context.ts';

/** Embedded mode only: an invoice of the simulated outside node, for our wallets to pay. */
export async function sandboxInvoice(
  ctx: ServiceContext,
  input: { numSatoshis: number; memo: string; descriptionHash?: Uint8Array | undefined; holdSeconds: number; fails: boolean },
) {
  const sandbox = ctx.lightning.sandbox;
  if (!sandbox) throw Errors.sandboxUnavailable();
  const invoice = await sandbox.createOutsideInvoice({
    amountMsat: input.numSatoshis * 1000,
    memo: input.memo,
    descriptionHash: input.descriptionHash,
    holdSeconds: input.holdSeconds,
    fails: input.fails,
  });
  return {
    payment_request: invoice.paymentRequest,
    r_hash_decoded: invoice.paymentHash,
    num_satoshis: input.numSatoshis,
    memo: input.memo,
    dest_pubkey: invoice.payee,
  };
}

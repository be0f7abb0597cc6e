import { randomBytes } from 'node:crypto';
import { sha256 } from '@noble/hashes/sha2.js';
import type { WtxJson } from '../model/present.ts';
import { Errors } from '../errors.ts';
import { toHex } from '../lib/hex.ts';
import { newId } from '../lib/random.ts';
import { insertLntx } from '../store/lntx.ts';
import { findWallet } from '../store/wallets.ts';
import type { WalletRef } from './walletAccess.ts';
import type { ServiceContext } from './context.ts';
import type { IdempotencyClaim } from './idempotency.ts';
import { payInternally } from './payInternally.ts';
import { PAYMENT_TIMEOUT_SECONDS, defaultFeeLimitMsat } from './payInvoice.ts';
import { sendThroughNode } from './sendPayment.ts';

/** Keysends store this expiry, as LNPay did. */
export const KEYSEND_EXPIRY_SECONDS = 432000;
/** TLV carrying the preimage of a keysend. */
export const PREIMAGE_TLV = '5482373484';
/** TLVs LNPay read the destination wallet id from, in this order. */
const WALLET_TLVS = ['696969', '112111100', '112111100102'];

export interface KeysendInput {
  wallet: WalletRef;
  destPubkey: string;
  numSatoshis: number;
  feeLimitMsat: number | undefined;
  customRecords: Record<string, string>;
  passThru: Record<string, unknown>;
  idempotency: IdempotencyClaim | undefined;
}

/** A spontaneous payment to a node by public key; to our own node it credits the wallet named in TLV 696969. */
export async function keysend(ctx: ServiceContext, input: KeysendInput): Promise<WtxJson> {
  const preimage = randomBytes(32);
  const paymentHash = toHex(sha256(preimage));
  const amountMsat = input.numSatoshis * 1000;
  const customRecords = { ...input.customRecords, [PREIMAGE_TLV]: preimage.toString('hex') };
  const passThru = { ...input.passThru, method: 'api' };
  const paymentRequest = `${input.destPubkey}:${input.numSatoshis}`;
  const memo = `${input.numSatoshis} keysend to ${input.destPubkey}`;
  if (input.destPubkey === ctx.nodePubkey) {
    return keysendInternally(ctx, { ...input, passThru, customRecords }, paymentHash, preimage.toString('hex'), memo);
  }
  const feeLimitMsat = input.feeLimitMsat ?? defaultFeeLimitMsat(amountMsat);
  return sendThroughNode(
    ctx,
    {
      wallet: input.wallet,
      kind: 'keysend',
      paymentHash,
      paymentRequest,
      destPubkey: input.destPubkey,
      memo,
      descriptionHash: null,
      amountMsat,
      feeLimitMsat,
      customRecords,
      passThru,
      idempotency: input.idempotency,
    },
    () =>
      ctx.lightning.keysend({
        destPubkey: input.destPubkey,
        paymentHash,
        preimage: preimage.toString('hex'),
        amountMsat,
        feeLimitMsat,
        customRecords,
        timeoutSeconds: PAYMENT_TIMEOUT_SECONDS,
      }),
  );
}

async function keysendInternally(
  ctx: ServiceContext,
  input: KeysendInput,
  paymentHash: string,
  preimage: string,
  memo: string,
): Promise<WtxJson> {
  const tlv = WALLET_TLVS.find((t) => input.customRecords[t] !== undefined);
  const destWalletId = tlv ? input.customRecords[tlv] : undefined;
  const dest = destWalletId ? await findWallet(ctx.db, destWalletId) : undefined;
  if (!tlv || !dest) {
    throw Errors.keysendFailed('keysend to this node needs custom record 696969 naming the destination wallet');
  }
  if (dest.id === input.wallet.id) throw Errors.keysendFailed('cannot keysend to the same wallet');
  const amountMsat = input.numSatoshis * 1000;
  return payInternally(ctx, {
    payer: input.wallet,
    incoming: { paymentHash, preimage, amountMsat },
    payeeWalletId: dest.id,
    send: {
      destPubkey: input.destPubkey,
      paymentRequest: `${input.destPubkey}:${input.numSatoshis}`,
      memo,
      descriptionHash: null,
      expiry: KEYSEND_EXPIRY_SECONDS,
      expiresAt: null,
      isKeysend: 1,
      customRecords: input.customRecords,
    },
    passThru: input.passThru,
    idempotency: input.idempotency,
    // The payee's side of a keysend has no invoice until it arrives: create it here, then settle it.
    prepare: (tx, now) =>
      insertLntx(tx, {
        id: newId('lntx_', 24),
        created_at: now,
        wallet_id: dest.id,
        ln_node_id: ctx.nodeId,
        direction: 'in',
        dest_pubkey: ctx.nodePubkey,
        payment_request: 'keysend/amp',
        payment_hash: paymentHash,
        memo: `keysend/amp: custom record [${tlv}] [${dest.id}]`,
        description_hash: null,
        payment_addr: null,
        num_satoshis: input.numSatoshis,
        amount_msat: amountMsat,
        expiry: null,
        expires_at: null,
        payment_preimage: preimage,
        is_keysend: 1,
        is_amp: null,
        custom_records: input.customRecords,
        pass_thru: { wallet_id: dest.id, custom_records: input.customRecords },
      }).then(() => undefined),
  });
}

import type { DecodedInvoice } from '../bolt11/index.ts';
import type { ServiceContext } from './context.ts';
import { decodeForPayment } from './payInvoice.ts';

/** LND's feature names, by the even bit of each pair. */
const FEATURE_NAMES: Record<number, string> = {
  0: 'data-loss-protect',
  4: 'upfront-shutdown-script',
  6: 'gossip-queries',
  8: 'tlv-onion',
  10: 'gossip-queries-ex',
  12: 'static-remote-key',
  14: 'payment-addr',
  16: 'multi-path-payments',
  18: 'wumbo-channels',
  20: 'anchors',
  22: 'anchors-zero-fee-htlc-tx',
  30: 'amp',
};

function features(bits: number[]) {
  return Object.fromEntries(
    bits.map((bit) => {
      const name = FEATURE_NAMES[bit - (bit % 2)];
      // protobuf-JSON leaves out false booleans and empty strings.
      return [String(bit), { ...(name ? { name } : {}), ...(bit % 2 === 0 ? { isRequired: true } : {}), ...(name ? { isKnown: true } : {}) }];
    }),
  );
}

/** LND's PayReq in protobuf-JSON: camelCase, int64 as strings, bytes base64, empty fields left out (§6). */
export function payReqJson(invoice: DecodedInvoice) {
  const amountMsat = invoice.amountMsat ?? 0;
  const fallback = invoice.fallbackAddresses[0]?.address;
  return {
    destination: invoice.payeePubkey,
    timestamp: String(invoice.timestamp),
    expiry: String(invoice.expirySeconds),
    ...(invoice.description ? { description: invoice.description } : {}),
    ...(invoice.descriptionHash ? { descriptionHash: invoice.descriptionHash } : {}),
    ...(fallback ? { fallbackAddr: fallback } : {}),
    ...(invoice.routeHints.length > 0
      ? {
          routeHints: invoice.routeHints.map((hint) => ({
            hopHints: hint.map((hop) => ({
              nodeId: hop.pubkey,
              chanId: hop.shortChannelId,
              feeBaseMsat: hop.feeBaseMsat,
              feeProportionalMillionths: hop.feeProportionalMillionths,
              cltvExpiryDelta: hop.cltvExpiryDelta,
            })),
          })),
        }
      : {}),
    ...(invoice.paymentSecret ? { paymentAddr: Buffer.from(invoice.paymentSecret, 'hex').toString('base64') } : {}),
    ...(amountMsat > 0 ? { numMsat: String(amountMsat) } : {}),
    features: features(invoice.featureBits),
    payment_hash: invoice.paymentHash,
    num_satoshis: String(Math.floor(amountMsat / 1000)),
    cltv_expiry: String(invoice.minFinalCltvExpiry),
  };
}

/** GET /v1/node/:id/payments/decodeinvoice. */
export async function decodeInvoice(ctx: ServiceContext, paymentRequest: string) {
  return payReqJson(await decodeForPayment(ctx, paymentRequest));
}

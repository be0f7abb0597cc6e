/**
 * BOLT 11 (Lightning invoice) codec.
 *
 * - {@link encodeInvoice} / {@link decodeInvoice}: the high-level API.
 * - {@link createSigner}: secp256k1 signer (native libsecp256k1, falling back to @noble/curves).
 * - {@link Bolt11Error}: every codec failure.
 */
export {
  encodeInvoice,
  encodeRawInvoice,
  taggedField,
  amountToHrp,
  invoiceHrp,
  invoiceSigningHash,
  DEFAULT_FEATURE_BITS,
  MAX_DESCRIPTION_BYTES,
  TAG,
} from './encode.ts';
export type { RawInvoice, TaggedField } from './encode.ts';
export type { ParsedInvoice } from './decode.ts';
export {
  decodeInvoice,
  parseInvoice,
  KNOWN_INVOICE_FEATURE_BITS,
  MAX_PAYMENT_REQUEST_LENGTH,
  DEFAULT_EXPIRY_SECONDS,
  DEFAULT_MIN_FINAL_CLTV_EXPIRY,
} from './decode.ts';
export {
  createSigner,
  recoverPublicKey,
  verifySignature,
  signerImplementation,
  nativeSecp256k1Available,
  nativeSecp256k1LoadError,
  SECP256K1_ENV_VAR,
} from './signer.ts';
export type { Signer, SignerImplementation, RecoverableSignature } from './signer.ts';
export { Bolt11Error, NETWORKS } from './types.ts';
export type {
  Network,
  InvoiceFields,
  DecodedInvoice,
  RouteHint,
  RouteHintHop,
  FallbackAddress,
} from './types.ts';

/**
 * Shared types for the BOLT 11 invoice encoder / decoder.
 *
 * Money is always an integer number of millisatoshis (`number`, checked to be a
 * safe integer). Byte strings in decoded output are lower-case hex.
 */

/**
 * Currency prefix following `ln` in the human-readable part.
 * - `bc`   mainnet
 * - `tb`   testnet
 * - `tbs`  signet (BOLT 11)
 * - `bcrt` regtest
 * - `sb`   simnet (btcd/lnd `lnsb` invoices)
 */
export type Network = 'bc' | 'tb' | 'tbs' | 'bcrt' | 'sb';

export const NETWORKS: readonly Network[] = Object.freeze(['bc', 'tb', 'tbs', 'bcrt', 'sb']);

/** Input for {@link encodeInvoice}. */
export interface InvoiceFields {
  network: Network;
  /** Integer millisatoshis (> 0), or `null` for an amountless invoice. */
  amountMsat: number | null;
  /** Unix time in seconds (35 bits). */
  timestamp: number;
  /** 32 bytes ('p' field). */
  paymentHash: Uint8Array;
  /** 32 bytes ('s' field). */
  paymentSecret: Uint8Array;
  /** UTF-8 description, at most 639 bytes ('d' field). Exactly one of description / descriptionHash. */
  description?: string;
  /** SHA-256 of the description, 32 bytes ('h' field). */
  descriptionHash?: Uint8Array;
  /** Seconds after `timestamp` at which the invoice expires ('x' field, always written). */
  expirySeconds: number;
  /** min_final_cltv_expiry_delta in blocks ('c' field, always written). */
  minFinalCltvExpiry: number;
  /** Feature bits for the '9' field. Default: var_onion_optin (8), payment_secret (14), basic_mpp optional (17). */
  featureBits?: number[];
  /** Write the payee node id ('n' field). Default false (readers recover it from the signature). */
  payeeNodeKey?: boolean;
}

export interface RouteHintHop {
  /** 33-byte compressed node id, hex. */
  pubkey: string;
  /** u64 short channel id as a decimal string (e.g. "72623859790382856"). */
  shortChannelId: string;
  feeBaseMsat: number;
  feeProportionalMillionths: number;
  cltvExpiryDelta: number;
}

/** One `r` field: an ordered private route towards the payee. */
export type RouteHint = RouteHintHop[];

export interface FallbackAddress {
  /** 0..16 = segwit witness version, 17 = P2PKH, 18 = P2SH. */
  version: number;
  /** Witness program / pubkey hash / script hash, hex. */
  program: string;
  /** Address string for the invoice's network (bech32/bech32m or base58check). */
  address: string;
}

/** Result of {@link decodeInvoice}. */
export interface DecodedInvoice {
  /** Normalised (lower-case, no `lightning:` prefix) payment request. */
  paymentRequest: string;
  network: Network;
  /** Integer millisatoshis, or `null` when the invoice has no amount. */
  amountMsat: number | null;
  /** Unix seconds. */
  timestamp: number;
  /** 32 bytes, hex. */
  paymentHash: string;
  /** 32 bytes, hex. Always present in a successfully decoded invoice (the `s` field is mandatory); typed nullable for API stability. */
  paymentSecret: string | null;
  description: string | null;
  /** 32 bytes, hex. */
  descriptionHash: string | null;
  /** Defaults to 3600 when the invoice has no `x` field. */
  expirySeconds: number;
  /** timestamp + expirySeconds (unix seconds). */
  expiresAt: number;
  /** Defaults to 18 when the invoice has no `c` field. */
  minFinalCltvExpiry: number;
  /** 33-byte compressed payee node id, hex (from the `n` field, or recovered from the signature). */
  payeePubkey: string;
  /** Set feature bits in ascending order (including unknown odd bits). */
  featureBits: number[];
  routeHints: RouteHint[];
  fallbackAddresses: FallbackAddress[];
  /** `m` field (payment_metadata), hex, or null. */
  metadata: string | null;
  /** 64-byte compact r||s signature, hex. */
  signature: string;
  /** Recovery id 0..3. */
  recoveryFlag: number;
}

/** Every failure of the BOLT 11 codec (malformed input or invalid encoder arguments). */
export class Bolt11Error extends Error {
  override readonly name = 'Bolt11Error';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

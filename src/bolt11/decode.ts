/**
 * BOLT 11 invoice decoding and signature verification.
 *
 * Every failure is reported as a {@link Bolt11Error} with a human-readable message.
 */
import { bech32, bech32m, createBase58check } from '@scure/base';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { TAG, invoiceSigningHash, wordsToBytes } from './encode.ts';
import { recoverPublicKey, verifySignature } from './signer.ts';
import { Bolt11Error } from './types.ts';
import type { DecodedInvoice, FallbackAddress, Network, RouteHint } from './types.ts';

export { Bolt11Error };

/** Longest payment request accepted (bounds the work done on hostile input). */
export const MAX_PAYMENT_REQUEST_LENGTH = 7089;
export const DEFAULT_EXPIRY_SECONDS = 3600;
export const DEFAULT_MIN_FINAL_CLTV_EXPIRY = 18;

/**
 * Even (compulsory) feature bits this decoder understands in an invoice's `9`
 * field (BOLT 9 features with context 9, plus the ASSUMED var_onion_optin /
 * payment_secret which invoices still set). Any other even bit fails decoding.
 */
export const KNOWN_INVOICE_FEATURE_BITS: ReadonlySet<number> = new Set([
  8, // var_onion_optin
  14, // payment_secret
  16, // basic_mpp
  24, // option_route_blinding
  36, // option_attribution_data
  48, // option_payment_metadata
]);

const SIGNATURE_WORDS = 104;
const TIMESTAMP_WORDS = 7;
const BECH32_CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const NETWORKS_BY_PREFIX: ReadonlyMap<string, Network> = new Map<string, Network>([
  ['bc', 'bc'],
  ['tb', 'tb'],
  ['tbs', 'tbs'],
  ['bcrt', 'bcrt'],
  ['sb', 'sb'],
]);
/** msat per unit of amount for each multiplier; `p` (0.1 msat) is handled separately. */
const MSAT_PER_UNIT: Readonly<Record<string, bigint>> = {
  '': 100_000_000_000n,
  m: 100_000_000n,
  u: 100_000n,
  n: 100n,
};
const ADDRESS_PARAMS: Readonly<Record<Network, { segwitHrp: string; p2pkh: number; p2sh: number }>> = {
  bc: { segwitHrp: 'bc', p2pkh: 0x00, p2sh: 0x05 },
  tb: { segwitHrp: 'tb', p2pkh: 0x6f, p2sh: 0xc4 },
  tbs: { segwitHrp: 'tb', p2pkh: 0x6f, p2sh: 0xc4 },
  bcrt: { segwitHrp: 'bcrt', p2pkh: 0x6f, p2sh: 0xc4 },
  sb: { segwitHrp: 'sb', p2pkh: 0x3f, p2sh: 0x7b },
};
const base58check = createBase58check(sha256);
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

function fail(message: string): never {
  throw new Bolt11Error(message);
}

// ---------------------------------------------------------------------------
// bech32 envelope

function parseBech32(input: string): { hrp: string; words: number[]; normalized: string } {
  let str = input.trim();
  if (/^lightning:/i.test(str)) str = str.slice('lightning:'.length);
  if (str.length === 0) fail('empty payment request');
  if (str.length > MAX_PAYMENT_REQUEST_LENGTH) {
    fail(`payment request too long (${str.length} characters, maximum ${MAX_PAYMENT_REQUEST_LENGTH})`);
  }
  const lower = str.toLowerCase();
  if (str !== lower && str !== str.toUpperCase()) fail('mixed-case payment request');
  const sep = lower.lastIndexOf('1');
  if (sep === -1) fail('missing bech32 separator "1"');
  if (sep === 0) fail('empty human-readable part');
  for (let i = 0; i < sep; i++) {
    const c = lower.charCodeAt(i);
    if (c < 33 || c > 126) fail('invalid character in human-readable part');
  }
  if (lower.length - sep - 1 < 6) fail('payment request too short (no room for a checksum)');
  let decoded;
  try {
    decoded = bech32.decode(lower, false);
  } catch (err) {
    // Diagnose only on failure (keeps the happy path fast).
    for (let i = sep + 1; i < lower.length; i++) {
      if (!BECH32_CHARSET.includes(lower[i]!)) fail(`invalid bech32 character "${str[i]}" at position ${i}`);
    }
    const msg = err instanceof Error ? err.message.slice(0, 120) : '';
    if (/checksum/i.test(msg)) fail('invalid checksum');
    throw new Bolt11Error(`invalid bech32 encoding${msg ? `: ${msg}` : ''}`, { cause: err });
  }
  return { hrp: decoded.prefix, words: decoded.words, normalized: lower };
}

function parseHrp(hrp: string): { network: Network; amountMsat: number | null } {
  if (!hrp.startsWith('ln')) fail('not a lightning invoice (prefix must start with "ln")');
  const m = /^ln([a-z]*)([0-9]*)(.*)$/.exec(hrp);
  if (!m) fail('invalid human-readable part');
  const [, prefix = '', digits = '', rest = ''] = m;
  const network = NETWORKS_BY_PREFIX.get(prefix);
  if (network === undefined) fail(`unknown network prefix "ln${prefix}"`);
  if (digits === '') {
    if (rest !== '') fail(`invalid amount "${rest}"`);
    return { network, amountMsat: null };
  }
  if (rest.length > 1 || (rest !== '' && !'munp'.includes(rest))) {
    fail(`invalid amount multiplier "${rest}"`);
  }
  if (digits[0] === '0') fail('invalid amount (zero or leading zeros)');
  if (digits.length > 20) fail('amount too large');
  const value = BigInt(digits);
  let msat: bigint;
  if (rest === 'p') {
    if (value % 10n !== 0n) fail('invalid sub-millisatoshi amount (pico-BTC amount must end in 0)');
    msat = value / 10n;
  } else {
    msat = value * MSAT_PER_UNIT[rest]!;
  }
  if (msat > BigInt(Number.MAX_SAFE_INTEGER)) fail('amount too large');
  return { network, amountMsat: Number(msat) };
}

// ---------------------------------------------------------------------------
// field parsers

function wordsToUint(words: number[], start: number, end: number, what: string): number {
  if (end > start && words[start] === 0) fail(`${what} is not minimally encoded`);
  let v = 0;
  for (let i = start; i < end; i++) {
    v = v * 32 + words[i]!;
    if (v > Number.MAX_SAFE_INTEGER) fail(`${what} is too large`);
  }
  return v;
}

function parseFeatures(words: number[], start: number, end: number): number[] {
  if (end > start && words[start] === 0) fail('feature bits are not minimally encoded');
  const bits: number[] = [];
  for (let i = end - 1; i >= start; i--) {
    const w = words[i]!;
    const base = (end - 1 - i) * 5;
    for (let b = 0; b < 5; b++) if (w & (1 << b)) bits.push(base + b);
  }
  return bits;
}

function parseRouteHint(words: number[], start: number, end: number): RouteHint {
  const bytes = wordsToBytes(words, start, end);
  if (bytes.length === 0 || bytes.length % 51 !== 0) fail('invalid route hint length');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const hops: RouteHint = [];
  for (let o = 0; o < bytes.length; o += 51) {
    hops.push({
      pubkey: bytesToHex(bytes.subarray(o, o + 33)),
      shortChannelId: view.getBigUint64(o + 33).toString(),
      feeBaseMsat: view.getUint32(o + 41),
      feeProportionalMillionths: view.getUint32(o + 45),
      cltvExpiryDelta: view.getUint16(o + 49),
    });
  }
  return hops;
}

/** Returns null for unknown versions (19..31), which readers must skip. */
function parseFallback(words: number[], start: number, end: number, network: Network): FallbackAddress | null {
  if (end === start) fail('empty fallback address field');
  const version = words[start]!;
  if (version > 18) return null;
  const program = wordsToBytes(words, start + 1, end);
  const params = ADDRESS_PARAMS[network];
  let address: string;
  if (version === 17 || version === 18) {
    if (program.length !== 20) fail('invalid fallback address (hash must be 20 bytes)');
    const payload = new Uint8Array(21);
    payload[0] = version === 17 ? params.p2pkh : params.p2sh;
    payload.set(program, 1);
    address = base58check.encode(payload);
  } else {
    const validLength =
      version === 0 ? program.length === 20 || program.length === 32 : program.length >= 2 && program.length <= 40;
    if (!validLength) fail(`invalid fallback address (witness v${version} program of ${program.length} bytes)`);
    const codec = version === 0 ? bech32 : bech32m;
    address = codec.encode(params.segwitHrp, [version, ...codec.toWords(program)], false);
  }
  return { version, program: bytesToHex(program), address };
}

// ---------------------------------------------------------------------------

/**
 * Decode and verify a BOLT 11 payment request. Accepts upper- or lower-case input
 * and an optional `lightning:` prefix.
 *
 * The payee public key is taken from a well-formed `n` field (the signature must
 * then verify against it and be low-S) or otherwise recovered from the signature.
 * Fixed-size fields (p, s, h, n) with the wrong length are skipped, as in the
 * specification's test vectors. Unknown tagged fields and fallback versions are skipped.
 *
 * @throws Bolt11Error on anything malformed or unverifiable.
 */
export function decodeInvoice(paymentRequest: string): DecodedInvoice {
  return parseInvoice(paymentRequest).verify();
}

/** A payment request read, its signature not yet checked. */
export interface ParsedInvoice {
  /** Normalised, as in DecodedInvoice. */
  readonly paymentRequest: string;
  readonly paymentHash: string;
  /** decodeInvoice's answer: checks the signature and finds the payee. @throws Bolt11Error */
  verify(): DecodedInvoice;
  /**
   * The invoice as `payeePubkey` signed it, unchecked: only for a payment
   * request known, character for character, to be one that key issued (one
   * this node stored when it signed it), whose signature was checked when made.
   * Checking costs a public-key recovery, most of what decoding costs.
   */
  issuedBy(payeePubkey: string): DecodedInvoice;
}

/** @throws Bolt11Error on anything malformed (the signature is left to verify()). */
export function parseInvoice(paymentRequest: string): ParsedInvoice {
  const parsed = asBolt11Error(() => parseUnchecked(paymentRequest));
  const { fields } = parsed;
  return {
    paymentRequest: fields.paymentRequest,
    paymentHash: fields.paymentHash,
    // The key before the spread: added after it, V8 gives each invoice a hidden class of its own (see lntxRow).
    verify: () => ({ payeePubkey: asBolt11Error(() => bytesToHex(signedBy(parsed))), ...fields }),
    issuedBy: (payeePubkey) => ({ payeePubkey, ...fields }),
  };
}

function asBolt11Error<T>(run: () => T): T {
  try {
    return run();
  } catch (err) {
    if (err instanceof Bolt11Error) throw err;
    // Defensive: any unexpected exception from a dependency is still a Bolt11Error.
    throw new Bolt11Error(`invalid invoice: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

interface Unchecked {
  fields: Omit<DecodedInvoice, 'payeePubkey'>;
  hrp: string;
  words: number[];
  dataEnd: number;
  signature: Uint8Array;
  payeeNodeKey: Uint8Array | null;
}

/** The payee: the `n` field the signature verifies against, or the key recovered from it. */
function signedBy({ fields, hrp, words, dataEnd, signature, payeeNodeKey }: Unchecked): Uint8Array {
  const hash = invoiceSigningHash(hrp, words, dataEnd);
  if (payeeNodeKey !== null) {
    if (!verifySignature(hash, signature, payeeNodeKey)) {
      fail('invalid signature (does not verify against the payee node key, or is not low-S)');
    }
    return payeeNodeKey;
  }
  try {
    return recoverPublicKey(hash, signature, fields.recoveryFlag);
  } catch (err) {
    throw new Bolt11Error('invalid signature (public key not recoverable)', { cause: err });
  }
}

function parseUnchecked(paymentRequest: string): Unchecked {
  if (typeof paymentRequest !== 'string') fail('payment request must be a string');
  const { hrp, words, normalized } = parseBech32(paymentRequest);
  const { network, amountMsat } = parseHrp(hrp);

  if (words.length < TIMESTAMP_WORDS + SIGNATURE_WORDS) fail('payment request too short (missing timestamp or signature)');
  const dataEnd = words.length - SIGNATURE_WORDS;

  let timestamp = 0;
  for (let i = 0; i < TIMESTAMP_WORDS; i++) timestamp = timestamp * 32 + words[i]!;

  let paymentHash: string | null = null;
  let paymentSecret: string | null = null;
  let description: string | null = null;
  let descriptionHash: string | null = null;
  let payeeNodeKey: Uint8Array | null = null;
  let expirySeconds: number | null = null;
  let minFinalCltvExpiry: number | null = null;
  let featureBits: number[] | null = null;
  let metadata: string | null = null;
  let descriptionCount = 0;
  let descriptionHashCount = 0;
  const routeHints: RouteHint[] = [];
  const fallbackAddresses: FallbackAddress[] = [];

  let pos = TIMESTAMP_WORDS;
  while (pos < dataEnd) {
    if (dataEnd - pos < 3) fail('truncated tagged field');
    const type = words[pos]!;
    const len = words[pos + 1]! * 32 + words[pos + 2]!;
    const start = pos + 3;
    const end = start + len;
    if (end > dataEnd) fail('tagged field length exceeds the data');
    pos = end;

    switch (type) {
      case TAG.paymentHash:
        if (len === 52 && paymentHash === null) paymentHash = bytesToHex(wordsToBytes(words, start, end));
        break;
      case TAG.paymentSecret:
        if (len === 52 && paymentSecret === null) paymentSecret = bytesToHex(wordsToBytes(words, start, end));
        break;
      case TAG.descriptionHash:
        if (len === 52) {
          descriptionHashCount++;
          if (descriptionHash === null) descriptionHash = bytesToHex(wordsToBytes(words, start, end));
        }
        break;
      case TAG.payeeNodeKey:
        if (len === 53 && payeeNodeKey === null) payeeNodeKey = wordsToBytes(words, start, end);
        break;
      case TAG.description: {
        descriptionCount++;
        if (description === null) {
          try {
            description = utf8Decoder.decode(wordsToBytes(words, start, end));
          } catch {
            fail('description is not valid UTF-8');
          }
        }
        break;
      }
      case TAG.expiry: {
        const v = wordsToUint(words, start, end, 'expiry');
        if (expirySeconds === null) expirySeconds = v;
        break;
      }
      case TAG.minFinalCltvExpiry: {
        const v = wordsToUint(words, start, end, 'min_final_cltv_expiry');
        if (minFinalCltvExpiry === null) minFinalCltvExpiry = v;
        break;
      }
      case TAG.features: {
        const bits = parseFeatures(words, start, end);
        if (featureBits === null) featureBits = bits;
        break;
      }
      case TAG.routeHint:
        routeHints.push(parseRouteHint(words, start, end));
        break;
      case TAG.fallbackAddress: {
        const fallback = parseFallback(words, start, end, network);
        if (fallback) fallbackAddresses.push(fallback);
        break;
      }
      case TAG.metadata:
        if (metadata === null) metadata = bytesToHex(wordsToBytes(words, start, end));
        break;
      default:
        // unknown field: skip
        break;
    }
  }

  if (paymentHash === null) fail('missing payment hash');
  if (paymentSecret === null) fail('missing payment secret');
  if (descriptionCount > 0 && descriptionHashCount > 0) fail('invoice has both a description and a description hash');
  if (description === null && descriptionHash === null) fail('missing description or description hash');
  const features = featureBits ?? [];
  for (const bit of features) {
    if (bit % 2 === 0 && !KNOWN_INVOICE_FEATURE_BITS.has(bit)) fail(`unknown required feature bit ${bit}`);
  }

  // Signature: 104 words = 65 bytes = r (32) || s (32) || recovery id (1).
  const sigBytes = wordsToBytes(words, dataEnd, words.length);
  const recoveryFlag = sigBytes[64]!;
  if (recoveryFlag > 3) fail('invalid signature recovery flag');
  const signature = sigBytes.subarray(0, 64);

  const expiry = expirySeconds ?? DEFAULT_EXPIRY_SECONDS;
  const fields = {
    paymentRequest: normalized,
    network,
    amountMsat,
    timestamp,
    paymentHash,
    paymentSecret,
    description,
    descriptionHash,
    expirySeconds: expiry,
    expiresAt: timestamp + expiry,
    minFinalCltvExpiry: minFinalCltvExpiry ?? DEFAULT_MIN_FINAL_CLTV_EXPIRY,
    featureBits: features,
    routeHints,
    fallbackAddresses,
    metadata,
    signature: bytesToHex(signature),
    recoveryFlag,
  };
  return { fields, hrp, words, dataEnd, signature, payeeNodeKey };
}

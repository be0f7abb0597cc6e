/**
 * BOLT 11 invoice encoding.
 *
 * `encodeInvoice` writes the tagged fields lnpayd issues, in a fixed order:
 * p, s, d|h, x, c, 9, n (n only when requested). The lower-level
 * `encodeRawInvoice` + `taggedField.*` builders can write any field in any order
 * (used to reproduce the specification's test vectors byte for byte).
 */
import { bech32 } from '@scure/base';
import { sha256 } from '@noble/hashes/sha2.js';
import { hexToBytes } from '@noble/hashes/utils.js';
import type { Signer } from './signer.ts';
import { Bolt11Error, NETWORKS } from './types.ts';
import type { FallbackAddress, InvoiceFields, Network, RouteHintHop } from './types.ts';

/** 5-bit tag codes. */
export const TAG = Object.freeze({
  paymentHash: 1, // p
  routeHint: 3, // r
  features: 5, // 9
  expiry: 6, // x
  fallbackAddress: 9, // f
  description: 13, // d
  paymentSecret: 16, // s
  payeeNodeKey: 19, // n
  descriptionHash: 23, // h
  minFinalCltvExpiry: 24, // c
  metadata: 27, // m
} as const);

/** One tagged field: 5-bit type and its data as 5-bit words (length is implied). */
export interface TaggedField {
  type: number;
  words: number[];
}

/** var_onion_optin (8, required), payment_secret (14, required), basic_mpp (17, optional). */
export const DEFAULT_FEATURE_BITS: readonly number[] = Object.freeze([8, 14, 17]);
export const MAX_TAGGED_FIELD_WORDS = 1023;
/** 1023 words * 5 bits = 5115 bits → 639 whole bytes. */
export const MAX_DESCRIPTION_BYTES = 639;
const MAX_TIMESTAMP = 2 ** 35 - 1;
const MAX_FEATURE_BIT = MAX_TAGGED_FIELD_WORDS * 5 - 1;
const NETWORK_SET: ReadonlySet<string> = new Set<string>(NETWORKS);
const utf8Encoder = new TextEncoder();

// ---------------------------------------------------------------------------
// bit packing helpers (shared with decode.ts)

/** Bytes → 5-bit words, zero-padding the last word. */
export function bytesToWords(bytes: Uint8Array): number[] {
  return bech32.toWords(bytes);
}

/**
 * 5-bit words (a slice of `words`) → bytes. With `pad` the trailing partial byte is
 * zero-padded and kept (BOLT 11 signing preimage); without it trailing bits that do
 * not fill a byte are dropped (field data).
 */
export function wordsToBytes(words: ArrayLike<number>, start = 0, end = words.length, pad = false): Uint8Array {
  const nbits = (end - start) * 5;
  const out = new Uint8Array(pad ? Math.ceil(nbits / 8) : Math.floor(nbits / 8));
  let acc = 0;
  let bits = 0;
  let j = 0;
  for (let i = start; i < end; i++) {
    acc = ((acc & 0xff) << 5) | words[i]!;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[j++] = (acc >>> bits) & 0xff;
    }
  }
  if (pad && bits > 0) out[j] = (acc << (8 - bits)) & 0xff;
  return out;
}

/** Unsigned integer → minimal big-endian 5-bit words (0 → no words). */
export function uintToWords(value: number): number[] {
  const out: number[] = [];
  let v = value;
  while (v > 0) {
    out.unshift(v % 32);
    v = Math.floor(v / 32);
  }
  return out;
}

/** sha256(hrp utf8 || data words packed to bytes with zero padding). */
export function invoiceSigningHash(hrp: string, dataWords: ArrayLike<number>, dataEnd = dataWords.length): Uint8Array {
  const hrpBytes = utf8Encoder.encode(hrp);
  const dataBytes = wordsToBytes(dataWords, 0, dataEnd, true);
  const preimage = new Uint8Array(hrpBytes.length + dataBytes.length);
  preimage.set(hrpBytes, 0);
  preimage.set(dataBytes, hrpBytes.length);
  return sha256(preimage);
}

// ---------------------------------------------------------------------------
// validation helpers

function fail(message: string): never {
  throw new Bolt11Error(message);
}

function checkBytes(value: unknown, length: number, what: string): Uint8Array {
  if (!(value instanceof Uint8Array) || value.length !== length) fail(`${what} must be ${length} bytes`);
  return value;
}

function checkUint(value: unknown, what: string, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > max) {
    fail(`${what} must be an integer between 0 and ${max}`);
  }
  return value;
}

function checkHex(value: unknown, length: number, what: string): Uint8Array {
  if (typeof value !== 'string' || value.length !== length * 2 || !/^[0-9a-fA-F]*$/.test(value)) {
    fail(`${what} must be ${length} bytes of hex`);
  }
  return hexToBytes(value.toLowerCase());
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

// ---------------------------------------------------------------------------
// human-readable part

const PICO_PER_UNIT: ReadonlyArray<readonly [string, bigint]> = [
  ['', 1_000_000_000_000n],
  ['m', 1_000_000_000n],
  ['u', 1_000_000n],
  ['n', 1_000n],
];

/**
 * Millisatoshis → BOLT 11 amount string with the shortest representation
 * (largest multiplier that divides exactly; `p` only when needed, always ending in 0).
 * e.g. 250_000_000 → "2500u", 1001 → "10010p", 100_000_000_000 → "1".
 */
export function amountToHrp(amountMsat: number): string {
  if (typeof amountMsat !== 'number' || !Number.isSafeInteger(amountMsat) || amountMsat <= 0) {
    fail('amount must be a positive safe integer number of millisatoshis');
  }
  const pico = BigInt(amountMsat) * 10n;
  for (const [suffix, divisor] of PICO_PER_UNIT) {
    if (pico % divisor === 0n) return `${pico / divisor}${suffix}`;
  }
  return `${pico}p`;
}

/** "ln" + network + optional amount. */
export function invoiceHrp(network: Network, amountMsat: number | null): string {
  if (!NETWORK_SET.has(network)) fail(`unknown network prefix "${String(network)}"`);
  return `ln${network}${amountMsat === null ? '' : amountToHrp(amountMsat)}`;
}

// ---------------------------------------------------------------------------
// tagged field builders

function field(type: number, words: number[]): TaggedField {
  if (words.length > MAX_TAGGED_FIELD_WORDS) fail(`tagged field ${type} is too long (${words.length} > ${MAX_TAGGED_FIELD_WORDS} words)`);
  return { type, words };
}

function featureWords(bits: readonly number[]): number[] {
  if (!Array.isArray(bits)) fail('featureBits must be an array of bit numbers');
  let max = -1;
  for (const bit of bits) {
    checkUint(bit, 'feature bit', MAX_FEATURE_BIT);
    if (bit > max) max = bit;
  }
  const words = new Array<number>(Math.floor(max / 5) + 1).fill(0);
  for (const bit of bits) {
    const idx = words.length - 1 - Math.floor(bit / 5);
    words[idx] = words[idx]! | (1 << bit % 5);
  }
  return words;
}

function u64DecimalToBytes(value: string, what: string): Uint8Array {
  if (typeof value !== 'string' || !/^\d{1,20}$/.test(value)) fail(`${what} must be a decimal u64 string`);
  const n = BigInt(value);
  if (n > 0xffff_ffff_ffff_ffffn) fail(`${what} must be a decimal u64 string`);
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, n);
  return out;
}

/** Builders for individual tagged fields (validate their input, throw Bolt11Error). */
export const taggedField = Object.freeze({
  paymentHash(hash: Uint8Array): TaggedField {
    return field(TAG.paymentHash, bytesToWords(checkBytes(hash, 32, 'payment hash')));
  },
  paymentSecret(secret: Uint8Array): TaggedField {
    return field(TAG.paymentSecret, bytesToWords(checkBytes(secret, 32, 'payment secret')));
  },
  description(description: string): TaggedField {
    if (typeof description !== 'string') fail('description must be a string');
    if (LONE_SURROGATE.test(description)) fail('description is not valid Unicode (lone surrogate)');
    const bytes = utf8Encoder.encode(description);
    if (bytes.length > MAX_DESCRIPTION_BYTES) {
      fail(`description is ${bytes.length} bytes of UTF-8, maximum is ${MAX_DESCRIPTION_BYTES} (use descriptionHash)`);
    }
    return field(TAG.description, bytesToWords(bytes));
  },
  descriptionHash(hash: Uint8Array): TaggedField {
    return field(TAG.descriptionHash, bytesToWords(checkBytes(hash, 32, 'description hash')));
  },
  expiry(seconds: number): TaggedField {
    return field(TAG.expiry, uintToWords(checkUint(seconds, 'expirySeconds')));
  },
  minFinalCltvExpiry(blocks: number): TaggedField {
    return field(TAG.minFinalCltvExpiry, uintToWords(checkUint(blocks, 'minFinalCltvExpiry')));
  },
  /** '9' field. Returns null when no bit is set (the field must then be omitted). */
  features(bits: readonly number[]): TaggedField | null {
    const words = featureWords(bits);
    return words.length === 0 ? null : field(TAG.features, words);
  },
  payeeNodeKey(publicKey: Uint8Array): TaggedField {
    return field(TAG.payeeNodeKey, bytesToWords(checkBytes(publicKey, 33, 'payee node key')));
  },
  metadata(metadata: Uint8Array): TaggedField {
    if (!(metadata instanceof Uint8Array)) fail('metadata must be a Uint8Array');
    return field(TAG.metadata, bytesToWords(metadata));
  },
  /** 'f' field: version 0..16 witness program, 17 P2PKH hash, 18 P2SH hash. */
  fallbackAddress(fallback: Pick<FallbackAddress, 'version' | 'program'>): TaggedField {
    const version = checkUint(fallback.version, 'fallback version', 18);
    if (typeof fallback.program !== 'string' || !/^([0-9a-fA-F]{2})+$/.test(fallback.program)) {
      fail('fallback program must be hex');
    }
    const program = hexToBytes(fallback.program.toLowerCase());
    return field(TAG.fallbackAddress, [version, ...bytesToWords(program)]);
  },
  /** 'r' field: one route (one or more hops). */
  routeHint(hops: readonly RouteHintHop[]): TaggedField {
    if (!Array.isArray(hops) || hops.length === 0) fail('route hint must have at least one hop');
    const bytes = new Uint8Array(51 * hops.length);
    const view = new DataView(bytes.buffer);
    hops.forEach((hop, i) => {
      const o = 51 * i;
      bytes.set(checkHex(hop.pubkey, 33, 'route hint pubkey'), o);
      bytes.set(u64DecimalToBytes(hop.shortChannelId, 'route hint shortChannelId'), o + 33);
      view.setUint32(o + 41, checkUint(hop.feeBaseMsat, 'route hint feeBaseMsat', 0xffffffff));
      view.setUint32(o + 45, checkUint(hop.feeProportionalMillionths, 'route hint feeProportionalMillionths', 0xffffffff));
      view.setUint16(o + 49, checkUint(hop.cltvExpiryDelta, 'route hint cltvExpiryDelta', 0xffff));
    });
    return field(TAG.routeHint, bytesToWords(bytes));
  },
  /** Any field from raw 5-bit words (e.g. unknown tags). */
  raw(type: number, words: readonly number[]): TaggedField {
    checkUint(type, 'tag type', 31);
    for (const w of words) checkUint(w, 'word', 31);
    return field(type, [...words]);
  },
});

// ---------------------------------------------------------------------------
// encoders

export interface RawInvoice {
  network: Network;
  amountMsat: number | null;
  timestamp: number;
  /** Written in this order. */
  fields: readonly TaggedField[];
}

/**
 * Serialise and sign an invoice made of arbitrary tagged fields, in the given
 * order. Performs no semantic checks (mandatory fields etc.) beyond field sizes.
 */
export function encodeRawInvoice(invoice: RawInvoice, signer: Signer): string {
  const hrp = invoiceHrp(invoice.network, invoice.amountMsat);
  const timestamp = checkUint(invoice.timestamp, 'timestamp', MAX_TIMESTAMP);

  let total = 7 + 104;
  for (const f of invoice.fields) total += 3 + f.words.length;
  const words = new Array<number>(total);
  let n = 0;
  for (let shift = 30; shift >= 0; shift -= 5) words[n++] = Math.floor(timestamp / 2 ** shift) % 32;
  for (const f of invoice.fields) {
    const len = f.words.length;
    if (len > MAX_TAGGED_FIELD_WORDS) fail(`tagged field ${f.type} is too long`);
    words[n++] = f.type;
    words[n++] = len >> 5;
    words[n++] = len & 31;
    for (let i = 0; i < len; i++) words[n++] = f.words[i]!;
  }

  const hash = invoiceSigningHash(hrp, words, n);
  const { signature, recovery } = signer.sign(hash);
  if (!(signature instanceof Uint8Array) || signature.length !== 64 || !Number.isInteger(recovery) || recovery < 0 || recovery > 3) {
    fail('signer returned an invalid signature');
  }
  const sigBytes = new Uint8Array(65);
  sigBytes.set(signature, 0);
  sigBytes[64] = recovery;
  const sigWords = bytesToWords(sigBytes); // 520 bits = exactly 104 words; the last one is the recovery id
  for (let i = 0; i < 104; i++) words[n++] = sigWords[i]!;

  return bech32.encode(hrp, words, false);
}

/**
 * Encode and sign a BOLT 11 invoice. Fields are written in the order
 * p, s, d|h, x, c, 9 and — when `payeeNodeKey` is true — n.
 * @throws Bolt11Error on invalid input.
 */
export function encodeInvoice(fields: InvoiceFields, signer: Signer): string {
  if (typeof fields !== 'object' || fields === null) fail('invoice fields must be an object');
  const hasDescription = fields.description !== undefined && fields.description !== null;
  const hasDescriptionHash = fields.descriptionHash !== undefined && fields.descriptionHash !== null;
  if (hasDescription === hasDescriptionHash) fail('exactly one of description or descriptionHash is required');

  const tagged: TaggedField[] = [
    taggedField.paymentHash(fields.paymentHash),
    taggedField.paymentSecret(fields.paymentSecret),
    hasDescription
      ? taggedField.description(fields.description as string)
      : taggedField.descriptionHash(fields.descriptionHash as Uint8Array),
    taggedField.expiry(fields.expirySeconds),
    taggedField.minFinalCltvExpiry(fields.minFinalCltvExpiry),
  ];
  const features = taggedField.features(fields.featureBits ?? DEFAULT_FEATURE_BITS);
  if (features) tagged.push(features);
  if (fields.payeeNodeKey === true) tagged.push(taggedField.payeeNodeKey(signer.publicKey));

  return encodeRawInvoice(
    { network: fields.network, amountMsat: fields.amountMsat, timestamp: fields.timestamp, fields: tagged },
    signer,
  );
}

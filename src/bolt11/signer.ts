/**
 * secp256k1 ECDSA with recoverable signatures, behind a tiny interface.
 *
 * Prefers the native libsecp256k1 binding from the `secp256k1` package (loaded
 * through `secp256k1/bindings`, which throws when no native build is present —
 * the package's main entry would silently fall back to elliptic instead) and
 * falls back to the pure-JS `@noble/curves` implementation.
 *
 * Both produce RFC6979 deterministic, low-S signatures, so they are byte-for-byte
 * interchangeable. Setting the environment variable LNPAYD_SECP256K1=noble forces
 * the pure-JS implementation.
 */
import { createRequire } from 'node:module';
import { secp256k1 as noble } from '@noble/curves/secp256k1.js';
import { bytesToHex } from '@noble/hashes/utils.js';

export type SignerImplementation = 'native' | 'noble';

export interface RecoverableSignature {
  /** 64 bytes, compact r||s (low-S). */
  signature: Uint8Array;
  /** Recovery id 0..3. */
  recovery: number;
}

export interface Signer {
  /** 33-byte compressed public key. */
  readonly publicKey: Uint8Array;
  readonly implementation: SignerImplementation;
  /** Sign a 32-byte message hash (no further hashing is applied). */
  sign(hash32: Uint8Array): RecoverableSignature;
}

/** Subset of the `secp256k1/bindings` (v5) API we use. */
interface NativeSecp256k1 {
  privateKeyVerify(seckey: Uint8Array): boolean;
  publicKeyCreate(seckey: Uint8Array, compressed?: boolean): Uint8Array;
  ecdsaSign(msg32: Uint8Array, seckey: Uint8Array): { signature: Uint8Array; recid: number };
  ecdsaVerify(sig: Uint8Array, msg32: Uint8Array, pubkey: Uint8Array): boolean;
  ecdsaRecover(sig: Uint8Array, recid: number, msg32: Uint8Array, compressed?: boolean): Uint8Array;
}

// Compressed generator point: public key of the private key 1. Used as a load-time self test.
const GENERATOR_COMPRESSED_HEX = '0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798';

/** Set `LNPAYD_SECP256K1=noble` to skip the native binding (e.g. to rule it out when debugging). */
export const SECP256K1_ENV_VAR = 'LNPAYD_SECP256K1';

function loadNative(): { lib: NativeSecp256k1 | null; error: string | null } {
  if (process.env[SECP256K1_ENV_VAR] === 'noble') {
    return { lib: null, error: `disabled by ${SECP256K1_ENV_VAR}=noble` };
  }
  try {
    const require = createRequire(import.meta.url);
    const lib = require('secp256k1/bindings') as NativeSecp256k1;
    const one = new Uint8Array(32);
    one[31] = 1;
    if (bytesToHex(lib.publicKeyCreate(one, true)) !== GENERATOR_COMPRESSED_HEX) {
      return { lib: null, error: 'native secp256k1 self-test failed' };
    }
    return { lib, error: null };
  } catch (err) {
    return { lib: null, error: err instanceof Error ? err.message : String(err) };
  }
}

const loaded = loadNative();
const native: NativeSecp256k1 | null = loaded.lib;

/** Whether the native libsecp256k1 binding loaded. */
export const nativeSecp256k1Available: boolean = native !== null;
/** Why the native binding could not be loaded (null when it loaded). */
export const nativeSecp256k1LoadError: string | null = loaded.error;
/** The implementation used by default (by {@link createSigner} and by invoice decoding). */
export const signerImplementation: SignerImplementation = native ? 'native' : 'noble';

function requireNative(): NativeSecp256k1 {
  if (!native) throw new Error(`native secp256k1 binding unavailable: ${loaded.error ?? 'unknown error'}`);
  return native;
}

function assertBytes(value: unknown, length: number, what: string): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array) || value.length !== length) {
    throw new TypeError(`${what} must be a ${length}-byte Uint8Array`);
  }
}

/**
 * Create a signer for a 32-byte private key. The key is copied.
 * @param implementation force a backend; defaults to {@link signerImplementation}.
 * @throws Error if the key is invalid or the requested backend is unavailable.
 */
export function createSigner(
  privateKey: Uint8Array,
  implementation: SignerImplementation = signerImplementation,
): Signer {
  assertBytes(privateKey, 32, 'private key');
  const key = Uint8Array.from(privateKey);
  if (implementation === 'native') {
    const lib = requireNative();
    if (!lib.privateKeyVerify(key)) throw new Error('invalid secp256k1 private key');
    const publicKey = lib.publicKeyCreate(key, true);
    return Object.freeze({
      publicKey,
      implementation,
      sign(hash32: Uint8Array): RecoverableSignature {
        assertBytes(hash32, 32, 'message hash');
        // libsecp256k1 default nonce function is RFC6979 (HMAC-SHA256); output is low-S.
        const { signature, recid } = lib.ecdsaSign(hash32, key);
        return { signature, recovery: recid };
      },
    });
  }
  if (implementation !== 'noble') throw new Error(`unknown secp256k1 implementation: ${String(implementation)}`);
  if (!noble.utils.isValidSecretKey(key)) throw new Error('invalid secp256k1 private key');
  const publicKey = noble.getPublicKey(key, true);
  return Object.freeze({
    publicKey,
    implementation,
    sign(hash32: Uint8Array): RecoverableSignature {
      assertBytes(hash32, 32, 'message hash');
      // prehash:false — we sign the hash as given; lowS + no extra entropy = RFC6979 like libsecp256k1.
      const sig = noble.sign(hash32, key, { prehash: false, lowS: true, extraEntropy: false, format: 'recovered' });
      // 'recovered' format is recovery byte || r || s.
      return { signature: sig.slice(1, 65), recovery: sig[0]! };
    },
  });
}

/**
 * Recover the 33-byte compressed public key from a compact signature.
 * Accepts high-S signatures (as BOLT 11 requires for recovery).
 * @throws Error when the signature is not recoverable.
 */
export function recoverPublicKey(
  hash32: Uint8Array,
  signature64: Uint8Array,
  recovery: number,
  implementation: SignerImplementation = signerImplementation,
): Uint8Array {
  assertBytes(hash32, 32, 'message hash');
  assertBytes(signature64, 64, 'signature');
  if (!Number.isInteger(recovery) || recovery < 0 || recovery > 3) throw new Error('invalid recovery id');
  if (implementation === 'native') {
    return requireNative().ecdsaRecover(signature64, recovery, hash32, true);
  }
  const sig = new Uint8Array(65);
  sig[0] = recovery;
  sig.set(signature64, 1);
  return noble.recoverPublicKey(sig, hash32, { prehash: false });
}

/**
 * Verify a compact signature against a public key. Rejects high-S signatures
 * (libsecp256k1 semantics), returns false for unparsable signatures / keys.
 */
export function verifySignature(
  hash32: Uint8Array,
  signature64: Uint8Array,
  publicKey: Uint8Array,
  implementation: SignerImplementation = signerImplementation,
): boolean {
  assertBytes(hash32, 32, 'message hash');
  assertBytes(signature64, 64, 'signature');
  if (!(publicKey instanceof Uint8Array)) throw new TypeError('public key must be a Uint8Array');
  try {
    if (implementation === 'native') return requireNative().ecdsaVerify(signature64, hash32, publicKey);
    return noble.verify(signature64, hash32, publicKey, { prehash: false, lowS: true, format: 'compact' });
  } catch (err) {
    if (err instanceof Error && err.message.startsWith('native secp256k1 binding unavailable')) throw err;
    return false;
  }
}

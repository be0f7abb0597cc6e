import { randomFillSync } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * The CSPRNG's bytes, drawn 8 KiB at a time: a request makes several ids, and
 * one call into the CSPRNG per id showed in profiles. Each byte is used once.
 */
const pool = Buffer.alloc(8192);
let used = pool.length;

function randomByte(): number {
  if (used === pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  return pool[used++]!;
}

/** Uniform [A-Za-z0-9] string; rejection sampling keeps every character equally likely. */
export function randomAlnum(length: number): string {
  let out = '';
  while (out.length < length) {
    const byte = randomByte();
    if (byte < 248) out += ALPHABET[byte % 62];
  }
  return out;
}

/** LNPay-style id: prefix + random alphanumerics, e.g. newId('wal_', 14). */
export function newId(prefix: string, length: number): string {
  return prefix + randomAlnum(length);
}

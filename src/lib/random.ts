import { randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Uniform [A-Za-z0-9] string; rejection sampling keeps every character equally likely. */
export function randomAlnum(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248) out += ALPHABET[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

/** LNPay-style id: prefix + random alphanumerics, e.g. newId('wal_', 14). */
export function newId(prefix: string, length: number): string {
  return prefix + randomAlnum(length);
}

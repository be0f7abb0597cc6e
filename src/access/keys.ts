import { createHash } from 'node:crypto';
import { randomAlnum } from '../lib/random.ts';

/** Keys are looked up by hash, so the plaintext never touches the database or the logs. */
export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** prefix + random [A-Za-z0-9]; 24 characters carry ~142 bits. */
export function generateKey(prefix: string, length: number): string {
  return prefix + randomAlnum(length);
}

export const API_KEY_LENGTH = 32;

import { createHash } from 'node:crypto';
import { LnurlError, checkedUrl } from './encoding.ts';

/** LUD-06 payRequest (with LUD-12 commentAllowed). */
export interface PayRequest {
  tag: 'payRequest';
  callback: string;
  minSendable: number;
  maxSendable: number;
  /** The JSON text exactly as served: the invoice's description hash is over these bytes. */
  metadata: string;
  commentAllowed: number;
}

/** LUD-06 metadata: the text/plain description, plus LUD-16's text/identifier for a Lightning Address. */
export function payMetadata(shortDesc: string, address: string | null): string {
  const entries: [string, string][] = [['text/plain', shortDesc]];
  if (address) entries.push(['text/identifier', address]);
  return JSON.stringify(entries);
}

export function metadataHash(metadata: string): Uint8Array {
  return new Uint8Array(createHash('sha256').update(metadata, 'utf8').digest());
}

function msat(value: unknown, field: string): number {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) throw new LnurlError(`${field} is not an amount`);
  return n;
}

/** Checks a service's first answer is a usable payRequest (LUD-06). */
export function parsePayRequest(body: Record<string, unknown>): PayRequest {
  if (body.tag !== 'payRequest') throw new LnurlError('not a payRequest');
  if (typeof body.callback !== 'string') throw new LnurlError('callback missing');
  checkedUrl(body.callback);
  if (typeof body.metadata !== 'string') throw new LnurlError('metadata missing');
  parseMetadata(body.metadata);
  const minSendable = msat(body.minSendable, 'minSendable');
  const maxSendable = msat(body.maxSendable, 'maxSendable');
  if (minSendable < 1 || maxSendable < minSendable) throw new LnurlError('minSendable/maxSendable out of order');
  const commentAllowed = body.commentAllowed === undefined ? 0 : msat(body.commentAllowed, 'commentAllowed');
  return { tag: 'payRequest', callback: body.callback, minSendable, maxSendable, metadata: body.metadata, commentAllowed };
}

export function parseMetadata(metadata: string): unknown[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(metadata);
  } catch {
    throw new LnurlError('metadata is not JSON');
  }
  if (!Array.isArray(parsed)) throw new LnurlError('metadata is not an array');
  return parsed;
}

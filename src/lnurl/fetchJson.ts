import { LnurlError } from './encoding.ts';

export interface FetchLimits {
  timeoutMs: number;
  maxBytes: number;
}

export const DEFAULT_FETCH_LIMITS: FetchLimits = { timeoutMs: 5000, maxBytes: 64 * 1024 };

/**
 * GETs a JSON document from an LNURL service: bounded in time and size, no
 * redirects to follow blindly, and LUD's {"status":"ERROR"} turned into an error.
 */
export async function fetchLnurlJson(url: string, limits: FetchLimits = DEFAULT_FETCH_LIMITS): Promise<Record<string, unknown>> {
  let res: Response;
  try {
    res = await fetch(url, {
      headers: { accept: 'application/json' },
      redirect: 'error',
      signal: AbortSignal.timeout(limits.timeoutMs),
    });
  } catch (err) {
    throw new LnurlError(`could not reach ${new URL(url).host}: ${(err as Error).message}`);
  }
  const text = await readCapped(res, limits.maxBytes);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new LnurlError(`${new URL(url).host} did not answer JSON (HTTP ${res.status})`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new LnurlError('answer is not a JSON object');
  const record = body as Record<string, unknown>;
  if (String(record.status).toUpperCase() === 'ERROR') {
    throw new LnurlError(typeof record.reason === 'string' ? record.reason : 'the service answered ERROR');
  }
  return record;
}

async function readCapped(res: Response, maxBytes: number): Promise<string> {
  if (!res.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new LnurlError(`answer larger than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { TargetRefusedError, ipLiteral, isPublicAddress, publicOnlyLookup } from './targets.ts';

export const USER_AGENT = 'LNPay-HookBot (lnpayd)';
/** Enough of a receiver's answer to debug it; the rest is not read. */
const RESPONSE_CAP_BYTES = 16 * 1024;
const LOGGED_RESPONSE_CHARS = 1024;

export interface WebhookRequest {
  url: string;
  body: string;
  eventName: string;
  deliveryId: string;
  secret: string | null;
  timeoutMs: number;
  allowPrivateTargets: boolean;
}

export interface SendResult {
  /** HTTP status, or null when no answer came (refused, timed out, connection error). */
  statusCode: number | null;
  error: string | null;
  responseBody: string | null;
  durationMs: number;
}

/** Lowercase hex HMAC-SHA256 of the exact body bytes, as LNPay's X-LNPay-Signature. */
export function signBody(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

export function webhookHeaders(r: Pick<WebhookRequest, 'body' | 'eventName' | 'deliveryId' | 'secret'>): Record<string, string> {
  return {
    'Content-Type': 'application/json',
    'Content-Length': String(Buffer.byteLength(r.body)),
    'User-Agent': USER_AGENT,
    'X-LNPay-Event': r.eventName,
    'X-LNPay-HookId': r.deliveryId,
    ...(r.secret ? { 'X-LNPay-Signature': signBody(r.secret, r.body) } : {}),
  };
}

/**
 * One POST, never throwing: the whole exchange (connect, answer, capped body)
 * is bounded by timeoutMs. Redirects are not followed (a 3xx is a failure).
 */
export function postWebhook(r: WebhookRequest): Promise<SendResult> {
  const startedMs = performance.now();
  const finish = (statusCode: number | null, error: string | null, responseBody: string | null): SendResult => ({
    statusCode,
    error,
    responseBody,
    durationMs: Math.round(performance.now() - startedMs),
  });
  const url = new URL(r.url);
  const literal = ipLiteral(url.hostname);
  if (!r.allowPrivateTargets && literal && !isPublicAddress(literal)) {
    return Promise.resolve(finish(null, new TargetRefusedError(url.hostname, literal).message, null));
  }
  return new Promise((resolve) => {
    let settled = false;
    const settle = (result: SendResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const client = url.protocol === 'https:' ? https : http;
    const request = client.request(url, {
      method: 'POST',
      headers: webhookHeaders(r),
      agent: false,
      ...(r.allowPrivateTargets ? {} : { lookup: publicOnlyLookup }),
    });
    const timer = setTimeout(() => {
      request.destroy();
      settle(finish(null, `timed out after ${r.timeoutMs} ms`, null));
    }, r.timeoutMs);
    request.on('error', (err) => settle(finish(null, errorText(err), null)));
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      let bytes = 0;
      const done = () => {
        const text = Buffer.concat(chunks).toString('utf8').slice(0, LOGGED_RESPONSE_CHARS);
        settle(finish(response.statusCode ?? null, null, text));
        request.destroy();
      };
      response.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        bytes += chunk.length;
        if (bytes >= RESPONSE_CAP_BYTES) done();
      });
      response.on('end', done);
      response.on('error', done);
      response.on('aborted', done);
    });
    request.end(r.body);
  });
}

function errorText(err: Error & { code?: string }): string {
  if (err instanceof TargetRefusedError) return err.message;
  return err.code ? `${err.code}: ${err.message}` : err.message;
}

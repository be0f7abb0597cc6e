import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { LightningError } from '../backend.ts';

export interface LndRestOptions {
  url: string;
  macaroonHex: string;
  /** PEM of LND's self-signed certificate; undefined trusts the system CAs (e.g. Voltage). */
  tlsCert: Buffer | undefined;
}

/** LND answered with an error (gRPC status carried over REST). */
export class LndError extends LightningError {
  constructor(
    readonly httpStatus: number,
    /** gRPC status code: 2 unknown, 5 not found, 6 already exists, … */
    readonly grpcCode: number,
    message: string,
  ) {
    super(message);
  }

  get permissionDenied(): boolean {
    return /permission denied|verification failed|cannot get macaroon/i.test(this.message);
  }
}

/** LND could not be reached, or the connection broke before an answer. */
export class LndUnreachableError extends LightningError {}

type Json = Record<string, unknown>;

function toError(httpStatus: number, body: unknown): LndError {
  const payload = (body as { error?: Json } | undefined)?.error ?? (body as Json | undefined) ?? {};
  const message = typeof payload.message === 'string' ? payload.message : `HTTP ${httpStatus}`;
  return new LndError(httpStatus, Number(payload.code ?? 2), message);
}

/**
 * LND's REST proxy over node:http(s), so its self-signed certificate can be
 * pinned without a dependency. Streams are newline-delimited JSON objects,
 * each `{"result": …}` or `{"error": …}`.
 */
export class LndRest {
  private readonly base: URL;

  constructor(private readonly options: LndRestOptions) {
    this.base = new URL(options.url);
  }

  /** One request, one JSON answer; rejects with LndError for LND errors. */
  async call<T = Json>(method: string, path: string, body?: unknown, timeoutMs = 30_000): Promise<T> {
    const res = await this.open(method, path, body, AbortSignal.timeout(timeoutMs));
    let text: string;
    try {
      text = await readAll(res);
    } catch (err) {
      throw new LndUnreachableError(`LND ${path} broke off: ${(err as Error).message}`);
    }
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      throw new LndError(res.statusCode ?? 0, 2, `LND answered HTTP ${res.statusCode} with non-JSON: ${text.slice(0, 200)}`);
    }
    if ((res.statusCode ?? 0) >= 300) throw toError(res.statusCode ?? 0, parsed);
    return parsed as T;
  }

  /**
   * Calls `onMessage` with every result of a server stream until the stream
   * ends, `signal` aborts (resolves) or LND reports an error (rejects).
   * `onMessage` returning true stops reading.
   */
  async stream(
    method: string,
    path: string,
    body: unknown,
    signal: AbortSignal,
    onMessage: (result: Json) => boolean | void | Promise<boolean | void>,
  ): Promise<void> {
    let res: IncomingMessage;
    try {
      res = await this.open(method, path, body, signal);
    } catch (err) {
      // LND sends the headers with the first message: a quiet stream aborts before any response.
      if (signal.aborted) return;
      throw err;
    }
    let buffered = '';
    try {
      for await (const chunk of res) {
        buffered += chunk.toString('utf8');
        let newline: number;
        while ((newline = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, newline).trim();
          buffered = buffered.slice(newline + 1);
          if (!line) continue;
          const message = JSON.parse(line) as { result?: Json; error?: Json };
          if (message.error || (res.statusCode ?? 0) >= 300) throw toError(res.statusCode ?? 0, message);
          if (message.result && (await onMessage(message.result))) return;
        }
      }
    } catch (err) {
      if (signal.aborted && !(err instanceof LndError)) return;
      if (err instanceof LightningError) throw err;
      throw new LndUnreachableError(`LND stream ${path} broke: ${(err as Error).message}`);
    } finally {
      res.destroy();
    }
    if (buffered.trim()) {
      const message = JSON.parse(buffered) as { result?: Json; error?: Json };
      if (message.error || (res.statusCode ?? 0) >= 300) throw toError(res.statusCode ?? 0, message);
      if (message.result) await onMessage(message.result);
    }
  }

  private open(method: string, path: string, body: unknown, signal: AbortSignal): Promise<IncomingMessage> {
    const url = new URL(path, this.base);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = send(url, {
        method,
        signal,
        ca: this.options.tlsCert,
        headers: {
          'Grpc-Metadata-macaroon': this.options.macaroonHex,
          ...(payload === undefined ? {} : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) }),
        },
      });
      req.on('response', resolve);
      req.on('error', (err) => reject(new LndUnreachableError(`LND at ${this.base.origin} is unreachable: ${err.message}`)));
      req.end(payload);
    });
  }
}

async function readAll(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** LND's REST takes bytes as base64 in bodies. */
export function hexToBase64(hex: string): string {
  return Buffer.from(hex, 'hex').toString('base64');
}

/** …and in paths as padded base64url (its gateway refuses unpadded), URL-escaped. */
export function hexToPathBase64(hex: string): string {
  return encodeURIComponent(Buffer.from(hex, 'hex').toString('base64').replace(/\+/g, '-').replace(/\//g, '_'));
}

export function base64ToHex(b64: unknown): string {
  return typeof b64 === 'string' ? Buffer.from(b64, 'base64').toString('hex') : '';
}

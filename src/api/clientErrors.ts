import type { Socket } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import { errorBody } from '../errors.ts';

/** What Node's parser refuses before Fastify routes a request, as status and LNPay-style message. */
function refusal(code: string | undefined): [number, string] {
  if (code === 'HPE_HEADER_OVERFLOW') return [431, 'Request header fields (including the URL) are too large'];
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return [408, 'Request timed out'];
  return [400, 'Malformed HTTP request'];
}

/**
 * Fastify's clientErrorHandler, answering in LNPay's error shape like every other
 * refusal (Fastify's default body is {"error","message","statusCode"}).
 */
export function clientErrorHandler(
  this: { log: FastifyBaseLogger },
  err: Error & { code?: string },
  socket: Socket,
): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, message] = refusal(err.code);
  this.log.debug({ err }, 'client error');
  if (socket.writable) {
    const body = JSON.stringify(errorBody(status, message));
    const reason = errorBody(status, message).name;
    socket.write(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json; charset=UTF-8\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}

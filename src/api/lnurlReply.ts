import type { FastifyReply } from 'fastify';
import { ApiError } from '../errors.ts';

/**
 * LNURL wallet apps read failures from the body, not the status (LUD-03/06):
 * a refused request answers 200 {"status":"ERROR","reason":…}.
 */
export async function lnurlAnswer<T>(
  reply: FastifyReply,
  run: () => Promise<T>,
): Promise<T | { status: 'ERROR'; reason: string }> {
  try {
    return await run();
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    reply.code(200);
    return { status: 'ERROR', reason: err.message };
  }
}

import type { FastifyReply } from 'fastify';
import { ApiError } from '../errors.ts';

/**
 * LNURL wallet apps read failures from the body, not the status (LUD-03/06):
 * a refused request answers 200 {"status":"ERROR","reason":…}.
 */
export async function lnurlAnswer(reply: FastifyReply, run: () => Promise<unknown>): Promise<unknown> {
  try {
    return await run();
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    return reply.code(200).send({ status: 'ERROR', reason: err.message });
  }
}

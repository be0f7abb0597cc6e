import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';

/**
 * Stops accepting connections and lets requests in flight finish; at the
 * deadline the connections still open are cut, so shutdown always ends. A
 * payment cut off there is a pending row that start-up recovery resolves.
 */
export async function closeGracefully(app: FastifyInstance, deadlineMs: number, logger: Logger): Promise<void> {
  const deadline = setTimeout(() => {
    logger.warn({ deadlineMs }, 'shutdown deadline passed: closing connections still open');
    app.server.closeAllConnections();
  }, deadlineMs);
  try {
    await app.close();
  } finally {
    clearTimeout(deadline);
  }
}

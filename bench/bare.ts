/**
 * Baseline server for bench/run.ts: bare Fastify with one tiny JSON POST route.
 * Prints {"url": …} as one JSON line once listening; exits on SIGTERM.
 */
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.post('/echo', async (request, reply) => {
  const body = request.body as { num_satoshis?: unknown };
  return reply.code(201).send({ ok: true, num_satoshis: body.num_satoshis ?? null });
});
const url = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(JSON.stringify({ url }) + '\n');
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));

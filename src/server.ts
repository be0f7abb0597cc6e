import type { FastifyInstance } from 'fastify';
import { type Logger, pino } from 'pino';
import { buildApi } from './api/app.ts';
import { closeGracefully } from './api/closeGracefully.ts';
import type { Config } from './config.ts';
import { lockDataDir } from './lib/dataDirLock.ts';
import { Metrics } from './metrics/metrics.ts';
import { observedDb } from './metrics/observedDb.ts';
import { type Cleanups, dataDirIsSingleProcess, openContext, openStore } from './openContext.ts';
import type { ServiceContext } from './services/context.ts';
import { startSettlementFollower } from './services/followSettlements.ts';
import { type InvariantJob, startInvariantJob } from './services/invariantJob.ts';
import { startRecoveryLoop } from './services/recoveryLoop.ts';
import { type RootKeySetup, ensureRootKeys } from './services/rootKeys.ts';
import { WebhookWorker } from './webhooks/worker.ts';

export interface RunningServer {
  app: FastifyInstance;
  url: string;
  ctx: ServiceContext;
  rootKeys: RootKeySetup;
  metrics: Metrics;
  /** The periodic invariant check; undefined when INVARIANT_CHECK_MS is 0. */
  invariants: InvariantJob | undefined;
  close(): Promise<void>;
}

export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: { paths: ['req.headers.authorization', 'req.headers["x-api-key"]', '*.secretKey', '*.publicKey'], censor: '[redacted]' },
  });
}

/** Composition root: builds every part in dependency order and tears them down in reverse. */
export async function startServer(config: Config, logger: Logger = createLogger(config.logLevel)): Promise<RunningServer> {
  const cleanups: Cleanups = [];
  const close = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((err) => logger.error({ err }, 'shutdown step failed'));
    cleanups.length = 0;
  };
  try {
    if (dataDirIsSingleProcess(config)) cleanups.push(await lockDataDir(config.dataDir));
    const metrics = new Metrics();
    const store = await openStore(config, cleanups);
    const db = observedDb(store.db, metrics);
    metrics.watchDatabase(db);
    const applied = store.applied;
    if (applied.length > 0) logger.info({ applied }, 'database migrations applied');
    const ctx = await openContext(config, db, cleanups);
    const rootKeys = await ensureRootKeys(db, config.dataDir, {
      secretKey: config.secretKey,
      publicKey: config.publicKey,
    });
    cleanups.push(startRecoveryLoop(ctx, logger));
    cleanups.push(await startSettlementFollower(ctx, logger));
    const invariants = config.invariantCheckMs > 0 ? startInvariantJob(ctx, logger, config.invariantCheckMs, (report) =>
            metrics.ledgerChecked(report.ok, Math.floor(Date.now() / 1000)),
          ) : undefined;
    if (invariants) cleanups.push(invariants.stop);
    // Pushed before the API so that shutdown closes HTTP first, then lets attempts in flight finish.
    const webhooks = new WebhookWorker(db, config.webhooks, logger);
    webhooks.start();
    cleanups.push(() => webhooks.stop());
    const app = await buildApi({
      ctx,
      publicUrl: config.publicUrl,
      logger,
      metrics,
      metricsToken: config.metricsToken,
      rateLimit: config.rateLimit,
      http: config.http,
    });
    cleanups.push(() => closeGracefully(app, config.http.shutdownTimeoutMs, logger));
    const address = await app.listen({ host: config.host, port: config.port });
    logger.info({ address, database: db.kind, lightning: ctx.lightning.kind, pubkey: ctx.nodePubkey }, 'lnpayd listening');
    return { app, url: address, ctx, rootKeys, metrics, invariants, close };
  } catch (err) {
    await close();
    throw err;
  }
}

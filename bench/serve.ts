/**
 * lnpayd for bench/run.ts: configured from the environment like src/main.ts,
 * logging to stderr so that stdout carries only one JSON line
 * {"url", "secretKey", "publicKey"} once listening. Exits on SIGTERM.
 */
import { pino } from 'pino';
import { loadConfig } from '../src/config.ts';
import { startServer } from '../src/server.ts';

const config = loadConfig(process.env);
const logger = pino({ level: config.logLevel }, pino.destination(2));
const server = await startServer(config, logger);
const generated = server.rootKeys.generated;
process.stdout.write(
  JSON.stringify({
    url: server.url,
    secretKey: config.secretKey ?? generated?.secretKey,
    publicKey: config.publicKey ?? generated?.publicKey,
  }) + '\n',
);
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));

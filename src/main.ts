import { ConfigError, loadConfig } from './config.ts';
import { DataDirLockedError } from './lib/dataDirLock.ts';
import { createLogger, startServer } from './server.ts';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  let server;
  try {
    server = await startServer(config, logger);
  } catch (err) {
    if (err instanceof DataDirLockedError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(3);
    }
    throw err;
  }
  const generated = server.rootKeys.generated;
  if (generated) {
    process.stdout.write(
      [
        '',
        'Root API keys generated (shown once; stored in ' + (server.rootKeys.keysFile ?? 'memory only') + '):',
        `  secret key: ${generated.secretKey}`,
        `  public key: ${generated.publicKey}`,
        `Dashboard: ${server.url}/dashboard   (sign in with the secret key)`,
        `Try: curl -u ${generated.publicKey}: ${server.url}/v1/wallets   (secret key needed for that one)`,
        '',
      ].join('\n') + '\n',
    );
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

await main();

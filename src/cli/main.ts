import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.ts';
import { ApiError } from '../errors.ts';
import { DataDirLockedError } from '../lib/dataDirLock.ts';
import { RootKeyPinnedError } from '../services/rootKeys.ts';
import { check, migrate, start } from './adminCommands.ts';
import { type Command, EXIT, type Input, type Output, UsageError } from './command.ts';
import { keysRotate, keysShow } from './keysCommands.ts';
import { invoice, pay } from './paymentCommands.ts';
import { openSession } from './session.ts';
import { walletsCreate, walletsList } from './walletCommands.ts';
import { webhookDeliveries, webhookRedeliver } from './webhookCommands.ts';

const COMMANDS: Command[] = [start, migrate, keysShow, keysRotate, walletsCreate, walletsList, invoice, pay, webhookDeliveries, webhookRedeliver, check];

const EXIT_CODES = [
  'Exit codes: 0 ok; 1 failure (an error from the service, or `check` found the invariants broken);',
  '2 bad configuration or usage; 3 DATA_DIR locked by a running lnpayd.',
];

const name = (c: Command) => c.words.join(' ');

function commandHelp(c: Command): string {
  return [`Usage: lnpayd ${name(c)} ${c.usage}`.trimEnd(), '', c.summary, ...(c.details ?? []), '', 'Options: --json (machine-readable output), --help'].join('\n');
}

/** Help for `lnpayd` or a group such as `lnpayd keys`: the commands under the given words. */
function listHelp(prefix: string[]): string {
  const shown = COMMANDS.filter((c) => prefix.every((w, i) => c.words[i] === w));
  const width = Math.max(...shown.map((c) => name(c).length));
  return [
    `Usage: lnpayd ${[...prefix, '<command>'].join(' ')} [options]  (each command has --help)`,
    '',
    ...shown.map((c) => `  ${name(c).padEnd(width)}  ${c.summary}`),
    '',
    'Configured by the same environment variables as the server (DATA_DIR, DATABASE_URL, LIGHTNING_BACKEND, …).',
    ...EXIT_CODES,
  ].join('\n');
}

function findCommand(argv: string[]): Command | undefined {
  return COMMANDS.find((c) => c.words.every((w, i) => argv[i] === w));
}

function output(json: boolean): Output {
  return {
    json,
    result(human, data) {
      process.stdout.write(json ? JSON.stringify(data, null, 2) + '\n' : [human].flat().join('\n') + '\n');
    },
  };
}

async function execute(command: Command, argv: string[]): Promise<number | undefined> {
  const { values, positionals } = parseArgs({
    args: argv.slice(command.words.length),
    options: { ...command.options, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
  });
  if (values.help) {
    process.stdout.write(commandHelp(command) + '\n');
    return EXIT.ok;
  }
  if (command.arity !== undefined && positionals.length !== command.arity) {
    throw new UsageError(`expected ${command.arity} argument(s), got ${positionals.length}`);
  }
  const config = loadConfig();
  const input: Input = { config, values, args: positionals, out: output(values.json === true), applied: [] };
  if (command.needs === 'nothing') return command.run(input);
  const session = await openSession(config, command);
  try {
    input.applied = session.applied;
    return command.needs === 'database' ? await command.run(session.db, input) : await command.run(session.ctx!, input);
  } finally {
    await session.close();
  }
}

/** Runs one CLI invocation; undefined when the command keeps the process alive (start). */
export async function runCli(argv: string[]): Promise<number | undefined> {
  const command = findCommand(argv);
  if (!command) {
    const known = COMMANDS.some((c) => c.words[0] === argv[0]);
    const prefix = known ? argv.slice(0, 1) : [];
    const asked = argv.length === 0 || argv.includes('--help') || argv.includes('-h');
    if (asked) {
      process.stdout.write(listHelp(prefix) + '\n');
      return EXIT.ok;
    }
    process.stderr.write(`lnpayd: unknown command "${argv.join(' ')}"\n\n${listHelp(prefix)}\n`);
    return EXIT.usage;
  }
  try {
    return await execute(command, argv);
  } catch (err) {
    const fail = (code: number, message: string) => {
      process.stderr.write(`lnpayd ${name(command)}: ${message}\n`);
      return code;
    };
    if (err instanceof UsageError || (err as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
      return fail(EXIT.usage, `${(err as Error).message}\nUsage: lnpayd ${name(command)} ${command.usage}`.trimEnd());
    }
    if (err instanceof ConfigError || err instanceof RootKeyPinnedError) return fail(EXIT.usage, err.message);
    if (err instanceof DataDirLockedError) return fail(EXIT.locked, err.message);
    if (err instanceof ApiError) return fail(EXIT.failure, err.message);
    return fail(EXIT.failure, err instanceof Error ? err.message : String(err));
  }
}

const code = await runCli(process.argv.slice(2));
if (code !== undefined) process.exitCode = code;

import type { ParseArgsConfig } from 'node:util';
import type { Config } from '../config.ts';
import type { ServiceContext } from '../services/context.ts';
import type { Db } from '../store/db.ts';

/** Documented in the README; scripts depend on them. */
export const EXIT = { ok: 0, failure: 1, usage: 2, locked: 3 } as const;

/** Bad arguments: the message, then the command's usage line, exit 2. */
export class UsageError extends Error {}

export type Options = NonNullable<ParseArgsConfig['options']>;
export type Values = Record<string, string | boolean | undefined>;

export interface Output {
  json: boolean;
  /** Prints `human` lines, or `data` as JSON with --json. */
  result(human: string | string[], data: unknown): void;
}

export interface Input {
  config: Config;
  values: Values;
  /** Arguments after the command's words. */
  args: string[];
  out: Output;
  /** Migrations applied when the command opened the database (every command brings the schema up to date). */
  applied: number[];
}

interface CommandInfo {
  /** The words that name it: ['keys', 'rotate']. */
  words: string[];
  summary: string;
  /** Arguments and options after the words, as shown in help. */
  usage: string;
  details?: string[];
  options?: Options;
  /** Exactly this many positional arguments. */
  arity?: number;
}

/** What a command needs opened decides how it may run beside a server (see session.ts). */
export type Command =
  | (CommandInfo & { needs: 'nothing'; run(input: Input): Promise<number | undefined> })
  | (CommandInfo & { needs: 'database'; run(db: Db, input: Input): Promise<number> })
  | (CommandInfo & {
      needs: 'services';
      /** Sends through the embedded node, whose journal one process owns. */
      writesNodeJournal?: boolean;
      run(ctx: ServiceContext, input: Input): Promise<number>;
    });

export function wholeNumber(values: Values, name: string, min: number, max: number): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || !/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got "${String(raw)}"`);
  }
  return Number(raw);
}

export function stringOption(values: Values, name: string): string | undefined {
  const raw = values[name];
  return typeof raw === 'string' ? raw : undefined;
}

import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

/** What `npm start` runs: the build of src/main.ts (`npm test` builds dist/ first). */
const MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));
/** The package's bin: `lnpayd <command>`. */
export const BIN = fileURLToPath(new URL('../../bin/lnpayd.js', import.meta.url));

export interface LnpaydProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Runs `lnpayd` as its own process (as `npm start` does, or `entry` such as [BIN, 'start']) and waits until it listens. */
export async function spawnLnpayd(env: Record<string, string>, entry = [MAIN]): Promise<LnpaydProcess> {
  const child = spawn(process.execPath, entry, {
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(/"address":"(http:\/\/[^"]+)"[^\n]*"msg":"lnpayd listening"/);
      if (match?.[1]) resolve(match[1]);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    child.once('exit', (code) => reject(new Error(`lnpayd exited with ${code} before listening:\n${output}`)));
    setTimeout(() => reject(new Error(`lnpayd did not start in 60 s:\n${output}`)), 60_000).unref();
  });
  return {
    child,
    url,
    output: () => output,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null) return child.exitCode;
      child.kill(signal);
      const [code] = (await once(child, 'exit')) as [number | null];
      return code;
    },
  };
}

/** Runs node with `args` to its end; stdout and stderr apart. */
async function runToEnd(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  // 'close', not 'exit': the output is complete only once the pipes have closed.
  const [code] = (await once(child, 'close')) as [number | null];
  clearTimeout(timer);
  return { code, stdout, stderr };
}

/** Runs lnpayd expecting it to refuse to start; returns its exit code and output. */
export async function runUntilExit(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const { code, stdout, stderr } = await runToEnd([MAIN], { PORT: '0', ...env });
  return { code, output: stdout + stderr };
}

/** Runs `lnpayd <args>` (the package's bin) to its end; stdout and stderr apart, for --json. */
export function runCli(env: Record<string, string>, ...args: string[]) {
  return runToEnd([BIN, ...args], env);
}

/** One JSON request to a spawned lnpayd with an API key. */
export async function apiCall(url: string, key: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url + path, {
    method,
    headers: { 'X-Api-Key': key, ...(body ? { 'Content-Type': 'application/json' } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as any };
}

/** Child processes of the benchmark: bench scripts under tsx, lnpayd from its build; always stopped. */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url));
const ROOT_DIR = join(BENCH_DIR, '..');
const READY_TIMEOUT_MS = 120_000;

export interface Child<Info> {
  info: Info;
  child: ChildProcess;
  /** Milliseconds from spawn to ready: the announcement line, or the first 200 on /health. */
  startMs: number;
  /** stderr: line count and the first few lines. */
  stderr: { lines: number; head: string[] };
}

const children = new Set<ChildProcess>();

/** Starts node with `args` in the project root, with only `env` and the basics of ours; tracked until it exits. */
function spawnNode(args: string[], env: Record<string, string>) {
  const baseEnv = Object.fromEntries(
    ['PATH', 'HOME', 'TMPDIR'].flatMap((k) => (process.env[k] ? [[k, process.env[k]]] : [])),
  );
  const child = spawn(process.execPath, args, { cwd: ROOT_DIR, env: { ...baseEnv, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  const stderr = { lines: 0, head: [] as string[] };
  createInterface({ input: child.stderr }).on('line', (line) => {
    if (stderr.lines++ < 20) stderr.head.push(line);
  });
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`${args.at(-1)} exited (code ${String(code)}) before it was ready:\n${stderr.head.join('\n')}`);
  });
  return { child, stderr, exited };
}

/** Starts `bench/<script>` and waits for its one-line JSON announcement on stdout. */
export async function startChild<Info>(script: string, env: Record<string, string>): Promise<Child<Info>> {
  const started = performance.now();
  const { child, stderr, exited } = spawnNode(['--import', 'tsx', join(BENCH_DIR, script)], env);
  const lines = createInterface({ input: child.stdout });
  try {
    const [line] = (await Promise.race([once(lines, 'line', { signal: AbortSignal.timeout(READY_TIMEOUT_MS) }), exited])) as [
      string,
    ];
    return { info: JSON.parse(line) as Info, child, startMs: performance.now() - started, stderr };
  } catch (err) {
    await stopChild(child);
    throw err;
  }
}

/**
 * Starts lnpayd as `npm start` does (the build in dist/, `npm run bench` makes it) on a free
 * port, and polls /health until it answers 200: startMs is the cold start.
 */
export async function startLnpayd(env: Record<string, string>): Promise<Child<{ url: string }>> {
  const url = `http://127.0.0.1:${await freePort()}`;
  const started = performance.now();
  const { child, stderr, exited } = spawnNode([join(ROOT_DIR, 'dist/main.js')], { ...env, HOST: '127.0.0.1', PORT: new URL(url).port });
  child.stdout.resume();
  exited.catch(() => {});
  try {
    while (performance.now() - started < READY_TIMEOUT_MS) {
      if (child.exitCode !== null) await exited;
      const status = await fetch(`${url}/health`).then((res) => res.status, () => 0);
      if (status === 200) return { info: { url }, child, startMs: performance.now() - started, stderr };
      await sleep(5);
    }
    throw new Error(`lnpayd did not answer 200 on /health within ${READY_TIMEOUT_MS} ms:\n${stderr.head.join('\n')}`);
  } catch (err) {
    await stopChild(child);
    throw err;
  }
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

export async function stopAll(): Promise<void> {
  await Promise.all([...children].map(stopChild));
}

/** Resident set size of a child, in MiB (Linux /proc). */
export async function rssMiB(child: ChildProcess): Promise<number> {
  const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

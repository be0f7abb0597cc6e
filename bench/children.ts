/** Child processes of the benchmark: started under tsx, announced by one JSON line, always stopped. */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url));
const ROOT_DIR = join(BENCH_DIR, '..');

export interface Child<Info> {
  info: Info;
  child: ChildProcess;
  /** Milliseconds from spawn to the announcement line. */
  startMs: number;
  /** stderr: line count and the first few lines. */
  stderr: { lines: number; head: string[] };
}

const children = new Set<ChildProcess>();

/** Starts `bench/<script>` and waits for its one-line JSON announcement on stdout. */
export async function startChild<Info>(script: string, env: Record<string, string>): Promise<Child<Info>> {
  const baseEnv = Object.fromEntries(
    ['PATH', 'HOME', 'TMPDIR'].flatMap((k) => (process.env[k] ? [[k, process.env[k]]] : [])),
  );
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', join(BENCH_DIR, script)], {
    cwd: ROOT_DIR,
    env: { ...baseEnv, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  const stderr = { lines: 0, head: [] as string[] };
  createInterface({ input: child.stderr }).on('line', (line) => {
    if (stderr.lines++ < 20) stderr.head.push(line);
  });
  const lines = createInterface({ input: child.stdout });
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`${script} exited (code ${String(code)}) before it was ready:\n${stderr.head.join('\n')}`);
  });
  try {
    const [line] = (await Promise.race([once(lines, 'line', { signal: AbortSignal.timeout(120_000) }), exited])) as [
      string,
    ];
    return { info: JSON.parse(line) as Info, child, startMs: performance.now() - started, stderr };
  } catch (err) {
    await stopChild(child);
    throw err;
  }
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

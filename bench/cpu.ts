/**
 * Where the CPU goes: seconds used so far by one process, by the PostgreSQL
 * backends serving one database, and by this process (the load generator).
 * Sampled around each measurement and divided by its operations, this is the
 * profile that says which process bounds a figure. Linux /proc.
 */
import { readFileSync, readdirSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

export function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may itself contain spaces: utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** PostgreSQL names each backend "postgres: <user> <database> <client> …". */
export function databaseCpuSeconds(database: string): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const title = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (title.startsWith('postgres: ') && title.split(' ')[2] === database) total += processCpuSeconds(Number(entry));
    } catch {
      // the process ended between readdir and read
    }
  }
  return total;
}

/** Busy and total CPU time of the whole machine so far (the first line of /proc/stat: idle and iowait are not busy). */
function machineTicks(): { busy: number; total: number } {
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/);
  const ticks = fields.slice(0, 8).map(Number);
  const total = ticks.reduce((a, b) => a + b, 0);
  return { busy: total - ticks[3]! - ticks[4]!, total };
}

/**
 * The share of the machine's CPU that other processes use while the bench
 * itself sleeps for `ms`: a bench run beside other work measures that work
 * too, so the report says how busy the machine was when it began.
 */
export async function machineBusyShare(ms: number): Promise<number> {
  const before = machineTicks();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = machineTicks();
  return after.total > before.total ? (after.busy - before.busy) / (after.total - before.total) : 0;
}

export function ownCpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

export type CpuSources = Record<string, () => number>;
export type CpuPerOp = Record<string, number>;

/** Starts a sample; the function it returns gives each source's CPU milliseconds per operation since. */
export function sampleCpu(sources: CpuSources): (operations: number) => CpuPerOp {
  const before = Object.entries(sources).map(([name, read]) => [name, read()] as const);
  return (operations) =>
    Object.fromEntries(
      before.map(([name, start]) => [name, operations > 0 ? ((sources[name]!() - start) * 1000) / operations : 0]),
    );
}

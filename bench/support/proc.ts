import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** The resident set of a process in KiB, from /proc/<pid>/status (Linux); 0 once it is gone. */
export function rssKiB(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** Sockets and files a process needs besides its streams (server ports, PostgreSQL, NATS, modules, pipes). */
const OPEN_FILES_MARGIN = 1_000;

/**
 * Throws unless this process may open `streams` sockets plus a margin: its soft
 * "Max open files" limit (/proc/self/limits, inherited by the processes it
 * starts) is what 10,000 streams run into first. The message says how to raise
 * it; Node cannot raise its own limit.
 */
export function requireOpenFiles(streams: number): void {
  const needed = streams + OPEN_FILES_MARGIN;
  let soft = Number.POSITIVE_INFINITY;
  try {
    const match = /^Max open files\s+(\S+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    soft = match && match[1] !== 'unlimited' ? Number(match[1]) : Number.POSITIVE_INFINITY;
  } catch {
    // not Linux: nothing to check
  }
  if (soft < needed) {
    throw new Error(
      `${streams} streams need at least ${needed} open files per process, but the limit is ${soft}: run \`ulimit -n ${needed}\` (or higher) in this shell first`,
    );
  }
}

let ticksPerSecond: number | undefined;

/** CPU time (user + system) a process used so far, in ms, from /proc/<pid>/stat; 0 once it is gone. */
export function cpuMs(pid: number): number {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK']).toString()) || 100;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at state, field 3; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
  } catch {
    return 0;
  }
}

/** The whole machine's CPU time so far, ms summed over CPUs, from the first line of /proc/stat. */
export function machineCpuMs(): { total: number; busy: number; steal: number } {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK']).toString()) || 100;
  // cpu user nice system idle iowait irq softirq steal guest guest_nice (guest time is inside user already).
  const [user, nice, system, idle, iowait, irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number);
  const toMs = (ticks: number) => (ticks * 1000) / ticksPerSecond!;
  return { total: toMs(user + nice + system + idle + iowait + irq + softirq + steal), busy: toMs(user + nice + system + irq + softirq), steal: toMs(steal) };
}

const sum = (pids: readonly number[], read: (pid: number) => number) => pids.reduce((total, pid) => total + read(pid), 0);

/**
 * Watches some processes during a phase: their summed RSS every `everyMs` (peak
 * and last), and the CPU time they used between start and stop.
 */
export class ProcessSampler {
  private peak = 0;
  private last = 0;
  private readonly cpuAtStart: number;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly pids: readonly number[],
    everyMs = 200,
  ) {
    this.cpuAtStart = sum(pids, cpuMs);
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
  }

  stop(): { peakKiB: number; lastKiB: number; cpuMs: number } {
    clearInterval(this.timer);
    this.sample();
    return { peakKiB: this.peak, lastKiB: this.last, cpuMs: sum(this.pids, cpuMs) - this.cpuAtStart };
  }

  private sample(): void {
    this.last = sum(this.pids, rssKiB);
    this.peak = Math.max(this.peak, this.last);
  }
}

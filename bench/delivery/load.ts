import { join } from 'node:path';

import { machineCpuMs, ProcessSampler } from '../support/proc';
import { sleep } from '../support/stats';
import { spawnWorker, type Worker } from '../support/worker';
import type { BenchUser } from './handles';
import type { BenchOptions } from './options';
import type { DeliveryCheck, PhaseResult, PostResult } from './results';
import type { Target } from './targets';

/** Share of the offered rate that must be accepted for a phase to count as sustained. */
const SUSTAIN_ACCEPTED = 0.95;
/** Pause between phases, longer after an overload, so one phase's backlog does not weigh on the next. */
const SETTLE_MS = 1_000;
const RECOVER_MS = 3_000;

/** A target under load: one poster process, one process holding every recipient's stream. */
export class LoadSession {
  private phaseCount = 0;

  private constructor(
    private readonly target: Target,
    private readonly poster: Worker,
    private readonly streamer: Worker,
    private readonly recipients: string[],
    private readonly options: BenchOptions,
  ) {}

  static async open(target: Target, users: readonly BenchUser[], options: BenchOptions): Promise<LoadSession> {
    const poster = spawnWorker(join(__dirname, 'poster.ts'), `${target.name} poster`);
    const streamer = spawnWorker(join(__dirname, 'streamer.ts'), `${target.name} stream holder`);
    try {
      await streamer.call('open', { bases: target.streamUrls, handles: users.map((user) => user.key) });
    } catch (error) {
      await Promise.all([poster.stop(), streamer.stop()]);
      throw error;
    }
    const recipients = users.map((user) => user.key.handle);
    return new LoadSession(target, poster, streamer, recipients, options);
  }

  /** Posts at `rate` for `seconds`, then checks every accepted message arrived exactly once. */
  async phase(rate: number, seconds: number): Promise<PhaseResult> {
    const { drainMs, sustainP99Ms, clientIps } = this.options;
    const sampler = new ProcessSampler(this.target.pids);
    const rigSampler = new ProcessSampler([this.poster.pid, this.streamer.pid]);
    const machineAtStart = machineCpuMs();
    const posted = await this.poster.call<PostResult>(
      'run',
      { base: this.target.postUrl, recipients: this.recipients, rate, seconds, phase: `p${this.phaseCount++}`, drainMs, clientIps },
      seconds * 1000 + drainMs + 60_000,
    );
    const delivered = await this.streamer.call<DeliveryCheck>('collect', { ids: posted.ids, drainMs }, drainMs + 60_000);
    const server = sampler.stop();
    const rig = rigSampler.stop();
    const machine = machineCpuMs();
    const machineTotal = machine.total - machineAtStart.total || 1;
    const errorKinds: Record<string, number> = { ...posted.errors };
    for (const kind of ['drops', 'misrouted', 'outOfOrder', 'unmarked'] as const) {
      if (delivered[kind] > 0) {
        errorKinds[`stream ${kind}`] = delivered[kind];
      }
    }
    const errors = Object.values(errorKinds).reduce((sum, count) => sum + count, 0);
    const sustained =
      errors === 0 &&
      delivered.lost === 0 &&
      delivered.doubled === 0 &&
      posted.acceptedPerSec >= SUSTAIN_ACCEPTED * rate &&
      delivered.latency.p99 <= sustainP99Ms;
    if (delivered.dropReasons.length > 0) {
      process.stderr.write(`  streams dropped: ${delivered.dropReasons.join('; ')}\n`);
    }
    await sleep(sustained ? SETTLE_MS : RECOVER_MS);
    return {
      rate,
      seconds,
      offered: posted.offered,
      accepted: posted.accepted,
      acceptedPerSec: posted.acceptedPerSec,
      errors,
      errorKinds,
      lost: delivered.lost,
      doubled: delivered.doubled,
      stray: delivered.stray,
      latency: delivered.latency,
      ack: posted.ack,
      rssPeakKiB: server.peakKiB,
      serverCpuUsPerMsg: posted.accepted > 0 ? (server.cpuMs * 1000) / posted.accepted : 0,
      loadCpuShare: rig.cpuMs / (server.cpuMs + rig.cpuMs || 1),
      otherCpuPercent: Math.max(0, (100 * (machine.busy - machineAtStart.busy - server.cpuMs - rig.cpuMs)) / machineTotal),
      stealPercent: (100 * (machine.steal - machineAtStart.steal)) / machineTotal,
      sustained,
    };
  }

  async close(): Promise<void> {
    await this.poster.stop();
    await this.streamer.stop();
  }
}

/**
 * The highest sustained rate above what was measured: double from the best
 * sustained one until a phase is not sustained (at most `searchDoublings` times),
 * then bisect between the two `searchBisections` times.
 */
export async function searchMax(measure: (rate: number) => Promise<PhaseResult>, tested: readonly PhaseResult[], options: BenchOptions): Promise<void> {
  let lo = Math.max(0, ...tested.filter((p) => p.sustained).map((p) => p.rate));
  const failed = tested.filter((p) => !p.sustained && p.rate > lo).map((p) => p.rate);
  let hi = failed.length > 0 ? Math.min(...failed) : undefined;
  for (let step = 0; hi === undefined && lo > 0 && step < options.searchDoublings; step++) {
    const rate = lo * 2;
    if ((await measure(rate)).sustained) {
      lo = rate;
    } else {
      hi = rate;
    }
  }
  for (let step = 0; hi !== undefined && step < options.searchBisections; step++) {
    const rate = Math.round((lo + hi) / 2 / 50) * 50;
    if (rate <= lo || rate >= hi) {
      break;
    }
    if ((await measure(rate)).sustained) {
      lo = rate;
    } else {
      hi = rate;
    }
  }
}

/** The highest sustained phase; when none was sustained, the one that accepted the most per second. */
export function bestPhase(phases: readonly PhaseResult[]): PhaseResult {
  const sustained = phases.filter((p) => p.sustained);
  const pool = sustained.length > 0 ? sustained : phases;
  const key = (p: PhaseResult) => (sustained.length > 0 ? p.rate : p.acceptedPerSec);
  return pool.reduce((best, p) => (key(p) > key(best) ? p : best));
}

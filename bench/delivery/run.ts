// `npm run bench:delivery`: message delivery of the real server against a bare
// baseline (and, with --cluster, two instances over PostgreSQL + NATS). Every part
// runs in its own process: the server(s), a poster, a stream holder and an idle
// stream opener; this orchestrator starts them, drives them over IPC, and prints
// Markdown tables (or, with --json, the report as JSON).
import { cpus, loadavg } from 'node:os';

import { cleanupAll, isBailingOut } from '../support/cleanup';
import { requireOpenFiles } from '../support/proc';
import { sleep } from '../support/stats';
import { makeUsers, registerUsers, type BenchUser } from './handles';
import { measureIdle, steadyRssKiB } from './idle';
import { bestPhase, LoadSession, searchMax } from './load';
import { type BenchOptions, parseOptions } from './options';
import { formatReport, formatScale } from './report';
import type { BenchReport, IdleResult, ModeRatio, PhaseResult, ScaleCell, ScaleReport, TargetResult } from './results';
import { startBaseline, startCluster, startOurs, startPostgres, type Target, type TargetName } from './targets';

const began = Date.now();
/** Progress on stderr, stamped with the seconds since start; stdout carries only the report. */
const log = (line: string) => process.stderr.write(`[${((Date.now() - began) / 1000).toFixed(1).padStart(5)} s] ${line}\n`);

function start(name: TargetName, options: BenchOptions): Promise<Target> {
  switch (name) {
    case 'ours':
      return startOurs({ profileDir: options.profileDir });
    case 'baseline':
      return startBaseline();
    case 'pg':
      return startPostgres({ profileDir: options.profileDir });
    case 'cluster':
      return startCluster({ profileDir: options.profileDir, instances: options.instances });
  }
}

/** A fresh target, with the users registered where that is needed; stopped whatever `use` does. */
async function withTarget<T>(name: TargetName, users: readonly BenchUser[], options: BenchOptions, use: (target: Target) => Promise<T>): Promise<T> {
  const target = await start(name, options);
  try {
    if (target.needsRegistration) {
      await registerUsers(target.postUrl, users);
    }
    return await use(target);
  } finally {
    await target.stop();
  }
}

/** A cluster whose instances do not reach each other loses everything; say why instead of reporting nonsense. */
async function checkClusterFanout(session: LoadSession): Promise<void> {
  const probe = await session.phase(50, 1);
  if (probe.lost > 0 || probe.accepted === 0) {
    throw new Error(
      `cluster: of ${probe.offered} messages posted on instance 1, ${probe.accepted} were accepted and ${probe.lost} never reached ` +
        `the streams on instance 2 (errors: ${JSON.stringify(probe.errorKinds)}). Cross-instance delivery (server/src/broker/nats-broker.ts ` +
        'over KEZ_CHAT_NATS_URL) is missing or broken in this build.',
    );
  }
}

async function measureDelivery(target: Target, users: readonly BenchUser[], options: BenchOptions): Promise<PhaseResult[]> {
  const session = await LoadSession.open(target, users, options);
  try {
    if (target.name === 'cluster' && target.pids.length > 1) {
      await checkClusterFanout(session);
    }
    const warm = await session.phase(options.warmup.rate, options.warmup.seconds);
    log(`  ${target.name} warmed up: ${warm.accepted} messages at ${options.warmup.rate} msgs/s (not reported)`);
    const phases: PhaseResult[] = [];
    const measure = async (rate: number, seconds: number) => {
      const phase = await session.phase(rate, seconds);
      log(
        `  ${target.name} ${rate} msgs/s: ${phase.acceptedPerSec.toFixed(0)} accepted/s, p50 ${phase.latency.p50.toFixed(1)} p99 ${phase.latency.p99.toFixed(1)} ` +
          `max ${phase.latency.max.toFixed(1)} ms, errors ${phase.errors}, lost ${phase.lost}, doubled ${phase.doubled}, ` +
          `server CPU ${phase.serverCpuUsPerMsg.toFixed(0)} µs/msg, others ${phase.otherCpuPercent.toFixed(0)} % + steal ${phase.stealPercent.toFixed(0)} % of the machine` +
          `${phase.sustained ? '' : ' (not sustained)'}`,
      );
      phases.push(phase);
      return phase;
    };
    for (const rate of options.rates) {
      await measure(rate, options.seconds);
    }
    if (options.search) {
      await searchMax((rate) => measure(rate, options.searchSeconds), phases, options);
    }
    return phases;
  } finally {
    await session.close();
  }
}

async function measureTarget(name: TargetName, users: readonly BenchUser[], options: BenchOptions): Promise<TargetResult> {
  log(`${name}: delivery`);
  let label = '';
  const phases = await withTarget(name, users, options, (target) => {
    label = target.label;
    return measureDelivery(target, users, options);
  });
  let idle: IdleResult | undefined;
  // Idle streams on a fresh process, so the load phases' heap does not blur the difference.
  if (options.idleStreams > 0 && name !== 'cluster' && name !== 'pg') {
    log(`${name}: ${options.idleStreams} idle streams`);
    idle = await withTarget(name, users, options, (target) => measureIdle(target, users, options.idleStreams, options.idleSettleMs));
    log(`  ${idle.streams} open (${idle.failed} failed), ${idle.perStreamKiB.toFixed(1)} KiB RSS each`);
  }
  return { name, label, phases, max: bestPhase(phases), idle };
}

/** `a / b`: highest sustained throughput, and p99 at each rate both ran. */
function ratio(a: TargetResult, b: TargetResult): ModeRatio {
  const p99: Record<string, number> = {};
  for (const phase of a.phases) {
    const other = b.phases.find((p) => p.rate === phase.rate);
    if (other && other.latency.p99 > 0) {
      p99[phase.rate] = phase.latency.p99 / other.latency.p99;
    }
  }
  const shared = a.phases.filter((phase) => b.phases.some((p) => p.rate === phase.rate)).map((phase) => phase.rate);
  const topRate = Math.max(...shared);
  const at = (t: TargetResult) => t.phases.find((p) => p.rate === topRate)?.acceptedPerSec ?? NaN;
  return { name: `${a.name} / ${b.name}`, maxThroughput: a.max.acceptedPerSec / b.max.acceptedPerSec, topRate, topRateThroughput: at(a) / at(b), p99 };
}

function ratios(targets: readonly TargetResult[]): BenchReport['ratios'] {
  const ours = targets.find((t) => t.name === 'ours');
  const baseline = targets.find((t) => t.name === 'baseline');
  if (!ours || !baseline) {
    return { maxThroughput: NaN, p99: {} };
  }
  const { maxThroughput, p99 } = ratio(ours, baseline);
  return { maxThroughput, p99 };
}

/** The mode comparison: PostgreSQL against SQLite (one instance), the cluster against PostgreSQL alone. */
function modeRatios(targets: readonly TargetResult[]): ModeRatio[] {
  const find = (name: TargetName) => targets.find((t) => t.name === name);
  const pairs: [TargetName, TargetName][] = [
    ['pg', 'ours'],
    ['cluster', 'pg'],
    ['cluster', 'ours'],
  ];
  return pairs.flatMap(([a, b]) => {
    const ta = find(a);
    const tb = find(b);
    return ta && tb ? [ratio(ta, tb)] : [];
  });
}

/** Every instances × recipients cell at one rate: how the cost grows with streams and instances. */
async function measureScale(options: BenchOptions, scale: NonNullable<BenchOptions['scale']>): Promise<ScaleCell[]> {
  const cells: ScaleCell[] = [];
  for (const recipients of scale.recipients) {
    log(`deriving ${recipients} identities`);
    const users = makeUsers(recipients);
    for (const instances of scale.instances) {
      log(`scale: ${instances} instance(s), ${recipients} streams, ${scale.rate} msgs/s`);
      const target = await startCluster({ profileDir: options.profileDir, instances });
      try {
        await registerUsers(target.postUrl, users);
        // Memory per stream as for idle streams: settled RSS with the streams open minus before, over the streams.
        await sleep(options.idleSettleMs);
        const rssBeforeKiB = await steadyRssKiB(target.pids);
        const session = await LoadSession.open(target, users, options);
        try {
          await sleep(options.idleSettleMs);
          const rssStreamsKiB = await steadyRssKiB(target.pids);
          const perStreamKiB = (rssStreamsKiB - rssBeforeKiB) / recipients;
          await session.phase(options.warmup.rate, options.warmup.seconds);
          const phase = await session.phase(scale.rate, options.seconds);
          log(
            `  ${phase.acceptedPerSec.toFixed(0)} accepted/s, p50 ${phase.latency.p50.toFixed(1)} p99 ${phase.latency.p99.toFixed(1)} ms, ` +
              `lost ${phase.lost}, doubled ${phase.doubled}, server CPU ${phase.serverCpuUsPerMsg.toFixed(0)} µs/msg, ` +
              `RSS ${(rssBeforeKiB / 1024).toFixed(0)} → ${(rssStreamsKiB / 1024).toFixed(0)} MiB with the streams (${perStreamKiB.toFixed(1)} KiB each)`,
          );
          cells.push({ instances, recipients, phase, rssBeforeKiB, rssStreamsKiB, perStreamKiB });
        } finally {
          await session.close();
        }
      } finally {
        await target.stop();
      }
    }
  }
  return cells;
}

function machineInfo(loadBefore: number[]): BenchReport['machine'] {
  return { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', node: process.version, loadBefore, loadAfter: loadavg() };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const startedAt = Date.now();
  const loadBefore = loadavg();
  // Every stream is a socket in the stream holder (and in an instance): say so before hours of set-up fail.
  requireOpenFiles(Math.max(options.recipients, options.idleStreams, ...(options.scale?.recipients ?? [])));
  if (options.scale) {
    const cells = await measureScale(options, options.scale);
    const report: ScaleReport = { machine: machineInfo(loadBefore), settings: { ...options }, cells, durationSeconds: (Date.now() - startedAt) / 1000 };
    process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatScale(report)}\n`);
    return;
  }
  log(`deriving ${options.recipients} identities`);
  const users = makeUsers(options.recipients);
  const targets: TargetResult[] = [];
  for (const name of options.targets) {
    targets.push(await measureTarget(name, users, options));
  }
  const report: BenchReport = {
    machine: machineInfo(loadBefore),
    settings: { ...options },
    targets,
    ratios: ratios(targets),
    modeRatios: modeRatios(targets),
    durationSeconds: (Date.now() - startedAt) / 1000,
  };
  process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatReport(report)}\n`);
}

main().then(
  () => cleanupAll(),
  async (error: unknown) => {
    if (isBailingOut()) {
      return;
    }
    log(`bench:delivery failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    await cleanupAll();
    process.exitCode = 1;
  },
);

import type { LatencySummary } from '../support/stats';

/** What the poster saw in one phase. */
export interface PostResult {
  offered: number;
  accepted: number;
  /** Accepted messages per second, from the first scheduled send to the last 201. */
  acceptedPerSec: number;
  /** Failures by kind: `http 429`, `ECONNRESET`, `timeout`, … */
  errors: Record<string, number>;
  /** Scheduled send → 201, ms. */
  ack: LatencySummary;
  /** Ids of the accepted messages, for the delivery check. */
  ids: string[];
}

/** What the stream holder saw in one phase, against the accepted ids. */
export interface DeliveryCheck {
  received: number;
  /** Accepted but never arrived (within the drain time). */
  lost: number;
  /** Arrived more than once (on any phase's watch). */
  doubled: number;
  /** Arrived on another recipient's stream. */
  misrouted: number;
  /** Arrived with a seq not above the stream's last one. */
  outOfOrder: number;
  /** Streams the server closed or that failed (each reopened from its last seq). */
  drops: number;
  dropReasons: string[];
  /** Events without a benchmark mark. */
  unmarked: number;
  /** Arrived but not accepted (e.g. the 201 timed out): reported, not an error of delivery. */
  stray: number;
  /** Scheduled send → SSE arrival, ms, over the accepted messages that arrived. */
  latency: LatencySummary;
}

export interface PhaseResult {
  rate: number;
  seconds: number;
  offered: number;
  accepted: number;
  acceptedPerSec: number;
  /** POST failures plus stream drops, misrouted and out-of-order events. */
  errors: number;
  errorKinds: Record<string, number>;
  lost: number;
  doubled: number;
  stray: number;
  latency: LatencySummary;
  ack: LatencySummary;
  /** Summed RSS of the server processes during the phase, KiB. */
  rssPeakKiB: number;
  /** CPU time (user + system) the server processes used during the phase, per accepted message, µs. */
  serverCpuUsPerMsg: number;
  /** Share of the phase's CPU time (server + load processes) the poster and stream holder used: the machine is shared. */
  loadCpuShare: number;
  /** How noisy the machine was: CPU time of everything but the server and the load processes, and time the hypervisor stole, % of all CPUs. */
  otherCpuPercent: number;
  stealPercent: number;
  /** Met the sustain rule (see load.ts). */
  sustained: boolean;
}

export interface IdleResult {
  streams: number;
  failed: number;
  openSeconds: number;
  rssBeforeKiB: number;
  rssAfterKiB: number;
  perStreamKiB: number;
}

export interface TargetResult {
  name: string;
  label: string;
  phases: PhaseResult[];
  /** The highest sustained rate measured (or, when none was, the phase with the most accepted per second). */
  max: PhaseResult;
  idle?: IdleResult;
}

export interface BenchReport {
  machine: { cpus: number; model: string; node: string; loadBefore: number[]; loadAfter: number[] };
  settings: Record<string, unknown>;
  targets: TargetResult[];
  /** ours / baseline: the highest sustained throughput, and p99 at each rate both ran. */
  ratios: { maxThroughput: number; p99: Record<string, number> };
  /** The three modes against each other (issue targets): pg / ours (SQLite) and cluster / pg, where both ran. */
  modeRatios: ModeRatio[];
  durationSeconds: number;
}

export interface ModeRatio {
  /** e.g. `pg / ours`. */
  name: string;
  maxThroughput: number;
  /** Accepted/s at the highest rate both ran: capacity when that rate overloads both, which holds up on a noisy machine where the p99 rule does not. */
  topRateThroughput: number;
  topRate: number;
  /** p99 ratio at each rate both ran. */
  p99: Record<string, number>;
}

/** One cell of the scaling table: a cluster of `instances` with `recipients` streams, at one rate. */
export interface ScaleCell {
  instances: number;
  recipients: number;
  phase: PhaseResult;
  /** Summed RSS of the instances with the users registered and no stream open, KiB. */
  rssBeforeKiB: number;
  /** The same with every recipient's stream open, before the load, KiB. */
  rssStreamsKiB: number;
  /** (rssStreamsKiB - rssBeforeKiB) / recipients. */
  perStreamKiB: number;
}

export interface ScaleReport {
  machine: BenchReport['machine'];
  settings: Record<string, unknown>;
  cells: ScaleCell[];
  durationSeconds: number;
}

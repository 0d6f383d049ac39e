import { parseArgs } from 'node:util';

import type { TargetName } from './targets';

export interface BenchOptions {
  targets: TargetName[];
  recipients: number;
  /** Fixed rates every target runs, msgs/s. */
  rates: number[];
  seconds: number;
  /** Look for the highest sustained rate above the fixed ones. */
  search: boolean;
  searchSeconds: number;
  /** Doublings at most before bisecting, and bisection steps. */
  searchDoublings: number;
  searchBisections: number;
  /** A phase is sustained only with p99 at or under this (ms), besides no errors, no loss, ≥ 95 % accepted. */
  sustainP99Ms: number;
  /** Loopback source addresses the poster spreads its requests over (1: all from 127.0.0.1). */
  clientIps: number;
  /** After the last send, how long answers and deliveries may take before they count as failed or lost. */
  drainMs: number;
  /** An unreported phase first, so both servers are measured warm (JIT-compiled, caches and pools filled). */
  warmup: { rate: number; seconds: number };
  /** Idle streams to open (0: skip the idle measurement). */
  idleStreams: number;
  /** Quiet time before each idle-stream RSS reading. */
  idleSettleMs: number;
  json: boolean;
  profileDir?: string;
  /** Instances of the cluster target. */
  instances: number;
  /** The scaling table instead of the delivery comparison: every recipients × instances pair at `scaleRate`. */
  scale?: { recipients: number[]; instances: number[]; rate: number };
}

const USAGE = `usage: npm run bench:delivery -- [options]
  --smoke              a few seconds: 5 recipients, 200 msgs/s for 2 s, 100 idle streams
  --cluster            also run one instance on PostgreSQL (pg) and 2 instances (PostgreSQL + nats-server), posting to one, streaming from the other
  --targets a,b        which of ours, baseline, pg, cluster to run (default ours,baseline; --cluster adds pg,cluster)
  --instances N        instances of the cluster target (default 2; streams spread over all but the one posted to)
  --scale              the scaling table instead: cluster of each --scale-instances size × each --scale-recipients count, one stream each
  --scale-recipients   recipients for --scale (default 100,1000,10000)
  --scale-instances    cluster sizes for --scale (default 1,2,3)
  --scale-rate R       the fixed rate of every --scale cell, msgs/s (default 500)
  --recipients N       recipients, one stream each (default 100)
  --rates a,b,c        fixed rates in msgs/s (default 500,1000,2000)
  --seconds S          length of a fixed-rate phase (default 8)
  --no-search          skip the search for the highest sustained rate
  --sustain-p99 MS     p99 bound of a sustained rate (default 100)
  --idle N             idle streams to open (default 10000; 0 skips)
  --client-ips N       post from 127.0.0.1 … 127.0.0.N, i.e. as N clients to the per-IP rate limit (default 1, max 250)
  --profile DIR        write V8 CPU profiles of the real server(s) to DIR
  --json               print the report as JSON instead of tables`;

function numberList(text: string, name: string): number[] {
  const values = text.split(',').map((part) => Number(part.trim()));
  if (values.length === 0 || values.some((value) => !Number.isFinite(value) || value <= 0)) {
    throw new Error(`--${name} takes positive numbers separated by commas\n${USAGE}`);
  }
  return values;
}

function positive(text: string | undefined, fallback: number, name: string, allowZero = false): number {
  if (text === undefined) {
    return fallback;
  }
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || (value === 0 && !allowZero)) {
    throw new Error(`--${name} takes a ${allowZero ? 'non-negative' : 'positive'} number\n${USAGE}`);
  }
  return value;
}

export function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      smoke: { type: 'boolean' },
      cluster: { type: 'boolean' },
      instances: { type: 'string' },
      scale: { type: 'boolean' },
      'scale-recipients': { type: 'string' },
      'scale-instances': { type: 'string' },
      'scale-rate': { type: 'string' },
      targets: { type: 'string' },
      recipients: { type: 'string' },
      rates: { type: 'string' },
      seconds: { type: 'string' },
      'no-search': { type: 'boolean' },
      'sustain-p99': { type: 'string' },
      idle: { type: 'string' },
      'client-ips': { type: 'string' },
      profile: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const smoke = values.smoke === true;
  const targets = (values.targets?.split(',') ?? ['ours', 'baseline', ...(values.cluster ? ['pg', 'cluster'] : [])]) as TargetName[];
  if (targets.length === 0 || targets.some((name) => !['ours', 'baseline', 'pg', 'cluster'].includes(name))) {
    throw new Error(`--targets takes ours, baseline, pg and/or cluster\n${USAGE}`);
  }
  return {
    targets,
    recipients: Math.round(positive(values.recipients, smoke ? 5 : 100, 'recipients')),
    rates: values.rates ? numberList(values.rates, 'rates') : smoke ? [200] : [500, 1000, 2000],
    seconds: positive(values.seconds, smoke ? 2 : 8, 'seconds'),
    search: !smoke && values['no-search'] !== true,
    searchSeconds: 5,
    searchDoublings: 5,
    searchBisections: 2,
    sustainP99Ms: positive(values['sustain-p99'], 100, 'sustain-p99'),
    clientIps: Math.min(250, Math.round(positive(values['client-ips'], 1, 'client-ips'))),
    drainMs: smoke ? 5_000 : 10_000,
    warmup: smoke ? { rate: 100, seconds: 1 } : { rate: 500, seconds: 3 },
    idleStreams: Math.round(positive(values.idle, smoke ? 100 : 10_000, 'idle', true)),
    idleSettleMs: smoke ? 500 : 3_000,
    json: values.json === true,
    profileDir: values.profile,
    instances: Math.round(positive(values.instances, 2, 'instances')),
    scale: values.scale
      ? {
          recipients: values['scale-recipients'] ? numberList(values['scale-recipients'], 'scale-recipients').map(Math.round) : [100, 1000, 10_000],
          instances: values['scale-instances'] ? numberList(values['scale-instances'], 'scale-instances').map(Math.round) : [1, 2, 3],
          rate: positive(values['scale-rate'], 500, 'scale-rate'),
        }
      : undefined,
  };
}

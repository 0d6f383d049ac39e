// `npm run bench:relay`: the inbox relay (/relay) of one real server instance
// against a bare `ws` echo relay in the same run: KEZ DMs accepted per second
// and the one-way latency from publish to a live REQ. Prints a Markdown table
// (or, with --json, the report as JSON); progress goes to stderr.
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';

import { cleanupAll } from '../support/cleanup';
import { makeUsers, registerUsers } from '../delivery/handles';
import { type RelayRunResult, runEvents } from './load';
import { type RelayTarget, type RelayTargetName, startBaseline, startOurs } from './targets';

const USAGE = `usage: npm run bench:relay -- [options]
  --smoke          a few seconds: 200 events, window 20 (what the test suite runs)
  --events N       events per measured run (default 20000)
  --window N       events awaiting their OK at once (default 100)
  --json           print the report as JSON instead of Markdown
  --help           this text
The server is the build in dist/server (npm run build:server first), or KEZ_BENCH_SERVER_DIST.`;

export interface RelayBenchReport {
  machine: { cpus: number; loadavg: number[] };
  events: number;
  window: number;
  targets: { name: RelayTargetName; label: string; run: RelayRunResult }[];
}

const began = Date.now();
const log = (line: string) => process.stderr.write(`[${((Date.now() - began) / 1000).toFixed(1).padStart(5)} s] ${line}\n`);

function options(): { events: number; window: number; json: boolean } {
  const { values } = parseArgs({
    options: {
      smoke: { type: 'boolean' },
      events: { type: 'string' },
      window: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const count = (raw: string | undefined, fallback: number, name: string) => {
    const value = raw === undefined ? fallback : Number(raw);
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new Error(`--${name} must be a positive whole number\n${USAGE}`);
    }
    return value;
  };
  return {
    events: count(values.events, values.smoke ? 200 : 20_000, 'events'),
    window: count(values.window, values.smoke ? 20 : 100, 'window'),
    json: values.json === true,
  };
}

/** One target: started fresh, a warm-up run (a tenth, not reported), then the measured run. */
async function measure(start: () => Promise<RelayTarget>, events: number, window: number): Promise<{ target: RelayTarget; run: RelayRunResult }> {
  const target = await start();
  try {
    const [user] = makeUsers(1);
    if (target.real) {
      await registerUsers(target.httpUrl, [user]);
    }
    const reader = { addr: user.identity.addr, secret: user.identity.nostrSecret };
    await runEvents(target, reader, Math.max(20, Math.floor(events / 10)), window);
    const run = await runEvents(target, reader, events, window);
    log(
      `${target.label}: ${run.accepted}/${run.offered} accepted, ${run.acceptedPerSec.toFixed(0)} events/s, ` +
        `delivery p50 ${run.delivery.p50.toFixed(1)} p99 ${run.delivery.p99.toFixed(1)} max ${run.delivery.max.toFixed(1)} ms, lost ${run.lost}`,
    );
    return { target, run };
  } finally {
    await target.stop();
  }
}

function markdown(report: RelayBenchReport): string {
  const rows = report.targets.map(
    ({ label, run }) =>
      `| ${label} | ${run.accepted}/${run.offered} | ${run.acceptedPerSec.toFixed(0)} | ${run.ack.p50.toFixed(1)} / ${run.ack.p99.toFixed(1)} | ` +
      `${run.delivery.p50.toFixed(1)} / ${run.delivery.p99.toFixed(1)} / ${run.delivery.max.toFixed(1)} | ${run.lost} | ${run.doubled} |`,
  );
  return [
    `Relay benchmark: ${report.events} KEZ DMs (1 KiB content), ${report.window} awaiting OK at once; ` +
      `${report.machine.cpus} CPUs, load ${report.machine.loadavg.map((l) => l.toFixed(2)).join(' ')}`,
    '',
    '| relay | accepted | events/s | OK ms p50 / p99 | to live REQ ms p50 / p99 / max | lost | doubled |',
    '|---|---|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const { events, window, json } = options();
  const targets: RelayBenchReport['targets'] = [];
  for (const start of [startOurs, startBaseline]) {
    const { target, run } = await measure(start, events, window);
    targets.push({ name: target.name, label: target.label, run });
  }
  const report: RelayBenchReport = { machine: { cpus: cpus().length, loadavg: loadavg() }, events, window, targets };
  process.stdout.write(json ? `${JSON.stringify(report, null, 2)}\n` : markdown(report));
}

main().then(
  () => cleanupAll().then(() => process.exit(0)),
  (error: unknown) => {
    process.stderr.write(`bench:relay failed: ${error instanceof Error ? error.message : String(error)}\n`);
    void cleanupAll().then(() => process.exit(1));
  },
);

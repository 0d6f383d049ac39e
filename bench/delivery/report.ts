import type { BenchReport, PhaseResult, ScaleReport, TargetResult } from './results';

const ms = (value: number) => (value >= 100 ? value.toFixed(0) : value.toFixed(1));
const mib = (kib: number) => (kib / 1024).toFixed(0);

function row(cells: (string | number)[]): string {
  return `| ${cells.join(' | ')} |`;
}

function table(header: string[], rows: (string | number)[][]): string {
  return [row(header), row(header.map(() => '---')), ...rows.map(row)].join('\n');
}

/** One target's cells for a phase: throughput, latency, failures, memory. */
function cells(phase: PhaseResult | undefined): string[] {
  if (!phase) {
    return ['', '', '', '', ''];
  }
  const failures = `${phase.errors} / ${phase.lost} / ${phase.doubled}`;
  const latency = `${ms(phase.latency.p50)} / ${ms(phase.latency.p99)} / ${ms(phase.latency.max)}`;
  return [`${phase.acceptedPerSec.toFixed(0)}${phase.sustained ? '' : ' ✗'}`, latency, failures, phase.serverCpuUsPerMsg.toFixed(0), mib(phase.rssPeakKiB)];
}

function deliveryTable(targets: readonly TargetResult[]): string {
  const header = ['rate (msgs/s)'];
  for (const target of targets) {
    header.push(
      `${target.name} accepted/s`,
      `${target.name} p50 / p99 / max (ms)`,
      `${target.name} errors / lost / doubled`,
      `${target.name} CPU µs/msg`,
      `${target.name} RSS peak (MiB)`,
    );
  }
  const rates = [...new Set(targets.flatMap((t) => t.phases.map((p) => p.rate)))].sort((a, b) => a - b);
  const rows = rates.map((rate) => [String(rate), ...targets.flatMap((t) => cells(t.phases.find((p) => p.rate === rate)))]);
  const best = (t: TargetResult) => (t.max.sustained ? `**${t.max.rate}**: ${cells(t.max)[0]}` : `none sustained; best ${cells(t.max)[0]}`);
  rows.push(['**highest sustained**', ...targets.flatMap((t) => [best(t), ...cells(t.max).slice(1)])]);
  return table(header, rows);
}

function idleTable(targets: readonly TargetResult[]): string {
  const measured = targets.filter((t) => t.idle);
  return table(
    ['target', 'idle streams', 'failed', 'open time (s)', 'RSS before (MiB)', 'RSS after (MiB)', 'RSS per stream (KiB)'],
    measured.map((t) => {
      const idle = t.idle!;
      return [t.label, idle.streams, idle.failed, idle.openSeconds.toFixed(1), mib(idle.rssBeforeKiB), mib(idle.rssAfterKiB), idle.perStreamKiB.toFixed(1)];
    }),
  );
}

/** The report as Markdown tables (what docs/performance.md quotes). */
export function formatReport(report: BenchReport): string {
  const { machine, ratios } = report;
  const lines = [
    `Machine: ${machine.cpus} × ${machine.model}, Node ${machine.node}; load average before ${machine.loadBefore.map((l) => l.toFixed(2)).join(' ')}, after ${machine.loadAfter.map((l) => l.toFixed(2)).join(' ')}; ${report.durationSeconds.toFixed(0)} s.`,
    '',
    `Delivery: POST→SSE latency from each message's scheduled send time; ✗ = not sustained (errors, loss, < 95 % accepted, or p99 > ${String(report.settings.sustainP99Ms)} ms); CPU = server CPU time per accepted message.`,
    '',
    deliveryTable(report.targets),
    '',
  ];
  if (Number.isFinite(ratios.maxThroughput)) {
    const p99 = Object.entries(ratios.p99).map(([rate, ratio]) => `${ratio.toFixed(2)} at ${rate}/s`);
    lines.push(`ours / baseline: highest sustained throughput ${ratios.maxThroughput.toFixed(2)}; p99 ${p99.join(', ')}.`, '');
  }
  if (report.modeRatios.length > 0) {
    const rates = [...new Set(report.modeRatios.flatMap((r) => Object.keys(r.p99)))].sort((a, b) => Number(a) - Number(b));
    lines.push(
      'Modes side by side (ratios of the same run):',
      '',
      table(
        ['ratio', 'highest sustained msgs/s', 'accepted/s at the top rate', ...rates.map((rate) => `p99 at ${rate}/s`)],
        report.modeRatios.map((r) => [
          r.name,
          r.maxThroughput.toFixed(2),
          `${r.topRateThroughput.toFixed(2)} (at ${r.topRate}/s)`,
          ...rates.map((rate) => (r.p99[rate] === undefined ? '' : r.p99[rate].toFixed(2))),
        ]),
      ),
      '',
    );
  }
  const phases = report.targets.flatMap((t) => t.phases);
  const others = phases.map((p) => p.otherCpuPercent + p.stealPercent);
  lines.push(
    `Noise: during the phases, other processes and the hypervisor took ${Math.min(...others).toFixed(0)}–${Math.max(...others).toFixed(0)} % of the machine ` +
      `(median ${others.sort((a, b) => a - b)[Math.floor(others.length / 2)].toFixed(0)} %); the load processes used ` +
      `${(100 * Math.min(...phases.map((p) => p.loadCpuShare))).toFixed(0)}–${(100 * Math.max(...phases.map((p) => p.loadCpuShare))).toFixed(0)} % of the benchmark's CPU time.`,
    '',
  );
  if (report.targets.some((t) => t.idle)) {
    lines.push(idleTable(report.targets), '');
  }
  return lines.join('\n');
}

/** The scaling table: one row per recipients count, one column group per cluster size. */
export function formatScale(report: ScaleReport): string {
  const { machine, cells } = report;
  const sizes = [...new Set(cells.map((c) => c.instances))].sort((a, b) => a - b);
  const counts = [...new Set(cells.map((c) => c.recipients))].sort((a, b) => a - b);
  const header = [
    'streams (recipients)',
    ...sizes.flatMap((n) => [
      `${n} inst. accepted/s`,
      `${n} inst. p50 / p99 (ms)`,
      `${n} inst. lost / doubled`,
      `${n} inst. CPU µs/msg`,
      `${n} inst. RSS per stream (KiB)`,
    ]),
  ];
  const rows = counts.map((recipients) => [
    String(recipients),
    ...sizes.flatMap((instances) => {
      const cell = cells.find((c) => c.instances === instances && c.recipients === recipients);
      if (!cell) {
        return ['', '', '', '', ''];
      }
      const { phase } = cell;
      return [
        `${phase.acceptedPerSec.toFixed(0)}${phase.sustained ? '' : ' ✗'}`,
        `${ms(phase.latency.p50)} / ${ms(phase.latency.p99)}`,
        `${phase.lost} / ${phase.doubled}`,
        phase.serverCpuUsPerMsg.toFixed(0),
        cell.perStreamKiB.toFixed(1),
      ];
    }),
  ]);
  return [
    `Machine: ${machine.cpus} × ${machine.model}, Node ${machine.node}; load average before ${machine.loadBefore.map((l) => l.toFixed(2)).join(' ')}, after ${machine.loadAfter.map((l) => l.toFixed(2)).join(' ')}; ${report.durationSeconds.toFixed(0)} s.`,
    '',
    'Scaling: cluster (PostgreSQL + NATS) posting to instance 1, one stream per recipient spread over the other instances (with one instance, on itself); CPU = all instances per accepted message; RSS per stream = all instances, settled, with the streams open minus before, over the streams.',
    '',
    table(header, rows),
    '',
  ].join('\n');
}

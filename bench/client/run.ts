// `npm run bench:client`: the client's two performance budgets, measured. The
// initial JavaScript a first visit downloads (from the build in dist/client/browser)
// and the cost of sealing and opening one message in Chromium, with the unlock's
// scrypt. Prints the figures against their budgets (or, with --json, the report as
// JSON); exits 1 when a full-size run is over a budget. Progress goes to stderr.
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';

import { build } from 'esbuild';

import { launchChromium } from '../../e2e/support/browser';
import { ROOT } from '../support/worker';
import type { BenchResult } from './crypto-bench';

const USAGE = `usage: npm run bench:client -- [options]
  --smoke          5 rounds: checks the bench runs, figures mean nothing (what the test suite runs)
  --rounds N       seals and opens timed (default 500)
  --json           print the report as JSON instead of text
  --help           this text
The bundle is the build in dist/client/browser (npx ng build first).`;

/** Gzipped JavaScript the first screen may download. */
export const INITIAL_JS_GZIP_BUDGET = 350 * 1024;
/** Median cost of sealing, and of opening, one message. */
export const PER_MESSAGE_BUDGET_MS = 5;
/** Unlocking (scrypt + AES-GCM) must stay bearable; the KDF is tuned for about half a second. */
export const UNLOCK_BUDGET_MS = 3_000;

export interface ClientBenchReport {
  machine: { cpus: number; loadavg: number[] };
  initialJs: { files: number; rawBytes: number; gzipBytes: number };
  crypto: BenchResult;
  /** Budgets exceeded, in words; empty when all hold. */
  over: string[];
}

const WEB = join(ROOT, 'dist/client/browser');

/** `import … from "./x.js"`, `import "./x.js"` and `export … from "./x.js"`, minified or not; never `import("./x.js")`. */
const STATIC_IMPORT = /\b(?:import|export)\s*(?:[\w$]+\s*,?\s*)?(?:\{[^}]*\}|\*\s*as\s*[\w$]+)?\s*(?:from\s*)?["'](\.\/[\w.-]+\.js)["']/g;

/** The scripts the first screen loads: the entry, its modulepreloads, and their static imports. */
function initialScripts(): string[] {
  const html = readFileSync(join(WEB, 'index.html'), 'utf8');
  const sources = [...html.matchAll(/<script[^>]*\ssrc="([^"]+\.js)"/g), ...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+\.js)"/g)];
  const found = new Set(sources.map((match) => match[1]));
  // Angular 22's build lists no modulepreload links: what the first screen loads is
  // every chunk reachable from the entry by static imports (`import(…)` is lazy).
  for (const file of found) {
    for (const [, imported] of readFileSync(join(WEB, file), 'utf8').matchAll(STATIC_IMPORT)) {
      found.add(join(dirname(file), imported));
    }
  }
  return [...found];
}

/** Raw and gzip (level 9) bytes of the first screen's JavaScript. */
export function measureInitialJs(): ClientBenchReport['initialJs'] {
  const raw = initialScripts().map((file) => readFileSync(join(WEB, file)));
  return {
    files: raw.length,
    rawBytes: raw.reduce((sum, bytes) => sum + bytes.length, 0),
    gzipBytes: raw.reduce((sum, bytes) => sum + gzipSync(bytes, { level: 9 }).length, 0),
  };
}

/** Bundles crypto-bench.ts (the client's own @kez/crypto) and times it in a Chromium page. */
async function measureCrypto(rounds: number): Promise<BenchResult> {
  const bundle = await build({
    entryPoints: [join(__dirname, 'crypto-bench.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    tsconfig: join(ROOT, 'tsconfig.json'),
    logLevel: 'silent',
  });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.setContent('<!doctype html><title>KEZ crypto bench</title>');
    await page.addScriptTag({ content: bundle.outputFiles[0].text });
    return await page.evaluate((n) => (globalThis as unknown as { kezBench: (n: number) => Promise<BenchResult> }).kezBench(n), rounds);
  } finally {
    await browser.close();
  }
}

/**
 * The budgets a report exceeds. Held on medians: means and p95s also carry garbage
 * collection and whatever else the machine does meanwhile, so they are reported only.
 */
export function overBudget(report: Omit<ClientBenchReport, 'over'>): string[] {
  const over: string[] = [];
  if (report.initialJs.gzipBytes > INITIAL_JS_GZIP_BUDGET) {
    over.push(`initial JavaScript ${(report.initialJs.gzipBytes / 1024).toFixed(1)} kB gzip > ${INITIAL_JS_GZIP_BUDGET / 1024} kB`);
  }
  for (const [name, timing] of [
    ['seal', report.crypto.seal],
    ['open', report.crypto.open],
  ] as const) {
    if (timing.medianMs >= PER_MESSAGE_BUDGET_MS) {
      over.push(`${name} median ${timing.medianMs.toFixed(2)} ms ≥ ${PER_MESSAGE_BUDGET_MS} ms`);
    }
  }
  if (report.crypto.unwrapMs >= UNLOCK_BUDGET_MS) {
    over.push(`unlock ${report.crypto.unwrapMs.toFixed(0)} ms ≥ ${UNLOCK_BUDGET_MS} ms`);
  }
  return over;
}

function text(report: ClientBenchReport): string {
  const ms = (value: number) => `${value.toFixed(2)} ms`;
  const { initialJs, crypto } = report;
  return [
    `Client benchmark: ${report.machine.cpus} CPUs, load ${report.machine.loadavg.map((l) => l.toFixed(2)).join(' ')}, ${crypto.rounds} rounds`,
    `initial JavaScript: ${initialJs.files} files, ${(initialJs.rawBytes / 1024).toFixed(1)} kB raw, ${(initialJs.gzipBytes / 1024).toFixed(1)} kB gzip (budget ${INITIAL_JS_GZIP_BUDGET / 1024} kB)`,
    `seal v2: mean ${ms(crypto.seal.meanMs)}, median ${ms(crypto.seal.medianMs)}, p95 ${ms(crypto.seal.p95Ms)} (budget: median < ${PER_MESSAGE_BUDGET_MS} ms)`,
    `open v2: mean ${ms(crypto.open.meanMs)}, median ${ms(crypto.open.medianMs)}, p95 ${ms(crypto.open.p95Ms)} (budget: median < ${PER_MESSAGE_BUDGET_MS} ms)`,
    `seed wrap (scrypt N=${crypto.scrypt.N}, r=${crypto.scrypt.r}, p=${crypto.scrypt.p}): wrap ${ms(crypto.wrapMs)}, unwrap ${ms(crypto.unwrapMs)} (budget < ${UNLOCK_BUDGET_MS} ms)`,
    report.over.length === 0 ? 'all budgets hold' : `OVER BUDGET: ${report.over.join('; ')}`,
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { smoke: { type: 'boolean' }, rounds: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean' } } });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const rounds = values.rounds === undefined ? (values.smoke ? 5 : 500) : Number(values.rounds);
  if (!Number.isSafeInteger(rounds) || rounds < 1) {
    throw new Error(`--rounds must be a positive whole number\n${USAGE}`);
  }
  process.stderr.write(`measuring the bundle in ${WEB} and ${rounds} seal/open rounds in Chromium\n`);
  const measured = { machine: { cpus: cpus().length, loadavg: loadavg() }, initialJs: measureInitialJs(), crypto: await measureCrypto(rounds) };
  const report: ClientBenchReport = { ...measured, over: overBudget(measured) };
  process.stdout.write(values.json ? `${JSON.stringify(report)}\n` : text(report));
  // A smoke run is too short for its figures to mean anything, so it never fails on them.
  if (report.over.length > 0 && !values.smoke) {
    process.exitCode = 1;
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}

// Runs inside the browser (bundled by bench/client/measure.ts with esbuild): times
// the same @kez/crypto code the client bundles, in Chromium's JavaScript engine.

import { DEFAULT_SCRYPT_PARAMS, deriveIdentity, generateSeed, openEnvelope, sealV2, unwrapSeed, wrapSeed } from '@kez/crypto';

export interface Timing {
  readonly meanMs: number;
  readonly medianMs: number;
  readonly p95Ms: number;
}

export interface BenchResult {
  /** Seals and opens timed (each envelope opened back to the same text). */
  readonly rounds: number;
  readonly seal: Timing;
  readonly open: Timing;
  readonly wrapMs: number;
  readonly unwrapMs: number;
  readonly scrypt: { N: number; r: number; p: number };
}

function timing(samples: number[], totalMs: number): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (share: number) => sorted[Math.floor(sorted.length * share)];
  return { meanMs: totalMs / samples.length, medianMs: at(0.5), p95Ms: at(0.95) };
}

/** A message of the length people type in a chat. */
const BODY = 'Are we still on for tomorrow? I can bring the maps and the good coffee. 🙂';

async function run(rounds: number): Promise<BenchResult> {
  const alice = deriveIdentity(generateSeed());
  const bob = deriveIdentity(generateSeed());
  // Let the JIT see the code before it is timed, as it will have in a running chat.
  for (let i = 0; i < 30; i++) {
    openEnvelope(bob, sealV2(alice, bob.primary, { body: BODY }));
  }
  const envelopes = [];
  const sealSamples: number[] = [];
  const sealStart = performance.now();
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    envelopes.push(sealV2(alice, bob.primary, { body: BODY }));
    sealSamples.push(performance.now() - start);
  }
  const sealTotal = performance.now() - sealStart;
  const openSamples: number[] = [];
  const openStart = performance.now();
  for (const envelope of envelopes) {
    const start = performance.now();
    if (openEnvelope(bob, envelope).body !== BODY) {
      throw new Error('opened something else');
    }
    openSamples.push(performance.now() - start);
  }
  const openTotal = performance.now() - openStart;

  const wrapStart = performance.now();
  const wrapped = await wrapSeed(alice.seed, 'a passphrase of fair length');
  const wrapMs = performance.now() - wrapStart;
  const unwrapStart = performance.now();
  await unwrapSeed(wrapped, 'a passphrase of fair length');
  const unwrapMs = performance.now() - unwrapStart;

  return { rounds, seal: timing(sealSamples, sealTotal), open: timing(openSamples, openTotal), wrapMs, unwrapMs, scrypt: DEFAULT_SCRYPT_PARAMS };
}

(globalThis as unknown as { kezBench: typeof run }).kezBench = run;

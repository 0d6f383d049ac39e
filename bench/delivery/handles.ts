import { buildRegisterRequest, bytesToHex, deriveIdentity, generateSeed, type Identity, nowSeconds } from '@kez/crypto';

import type { HandleKey } from './stream-auth';

export interface BenchUser {
  key: HandleKey;
  identity: Identity;
}

/** The server name every benchmark server is started with (registrations must name it). */
export const BENCH_SERVER_NAME = 'bench.test';

const REGISTER_CONCURRENCY = 8;

/** `count` fresh identities as a client makes them (seed → primary, addr), handles `bench0`, `bench1`, … */
export function makeUsers(count: number): BenchUser[] {
  return Array.from({ length: count }, (_, i) => {
    const identity = deriveIdentity(generateSeed());
    return { key: { handle: `bench${i}`, seed: bytesToHex(identity.seed) }, identity };
  });
}

/** Registers every user on `base` through `POST /v1/register`; fails on the first refusal. */
export async function registerUsers(base: string, users: readonly BenchUser[]): Promise<void> {
  const queue = [...users];
  const registerNext = async () => {
    for (let user = queue.shift(); user; user = queue.shift()) {
      const body = buildRegisterRequest(user.identity, user.key.handle, BENCH_SERVER_NAME, nowSeconds());
      const response = await fetch(`${base}/v1/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (response.status !== 201) {
        throw new Error(`registering ${user.key.handle} on ${base} failed: ${response.status} ${await response.text()}`);
      }
    }
  };
  await Promise.all(Array.from({ length: REGISTER_CONCURRENCY }, registerNext));
}

import { schnorr } from '@noble/curves/secp256k1.js';

import { buildRegisterRequest, bytesToHex, generateSeed, type Identity, identityWithNostrKey, nowSeconds } from '@kez/crypto';

import type { HandleKey } from './stream-auth';

export interface BenchUser {
  key: HandleKey;
  identity: Identity;
}

/** The server name every benchmark server is started with (registrations must name it). */
export const BENCH_SERVER_NAME = 'bench.test';

const REGISTER_CONCURRENCY = 8;

/**
 * An identity as the server sees one (primary, x25519 and a valid addr), made fast:
 * the nostr key is random rather than NIP-06-derived from the phrase. The server
 * cannot tell the two apart (it checks that the addr is a point, not where it came
 * from), and skipping BIP39's 2,048 PBKDF2 rounds per user turns 10,000 users from
 * minutes of set-up into a second.
 */
function benchIdentity(): Identity {
  const nostrSecret = schnorr.utils.randomSecretKey();
  return identityWithNostrKey(generateSeed(), { nostrSecret, addr: bytesToHex(schnorr.getPublicKey(nostrSecret)) });
}

/** `count` fresh identities (see benchIdentity), handles `bench0`, `bench1`, … */
export function makeUsers(count: number): BenchUser[] {
  return Array.from({ length: count }, (_, i) => {
    const identity = benchIdentity();
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

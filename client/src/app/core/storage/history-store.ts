import { AES_GCM_IV_BYTES, aesGcmOpen, aesGcmSeal, base64urlDecode, base64urlEncode, bytesToHex, hkdfSha256, randomBytes, utf8, utf8Decode } from '@kez/crypto';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';

import type { Bucket, Store, WriteOp } from './store';

// Message history encrypted at rest. Conversations and messages are readable only
// with keys derived from the identity's seed, so a locked app (no seed in memory)
// leaves nothing readable on disk, whatever unlocked it before: a passphrase today,
// a persistent session or a passkey tomorrow. Whoever holds the seed calls
// `openHistory(store, seed)`; "forget this device" still wipes everything with
// `Store.clear()`, and `wipeHistory(store)` wipes the history alone.
//
// On disk, each sealed bucket holds entries
//   key   = hex(HMAC-SHA256(indexKey, "<bucket>\0<key>"))   (hides peer primaries and ids)
//   value = { sealed: 1, iv, ct }  with ct = AES-256-GCM(dataKey, iv, JSON({k, v}),
//           aad = "kez-chat/history/v1\n<bucket>\n<stored key>")
// so values cannot be read, altered or moved to another slot without the seed.
// What stays visible is listed in docs/architecture.md ("History at rest").

/** HKDF info strings: one key per purpose, never used for anything else. */
const DATA_KEY_INFO = 'kez-chat/history-at-rest/v1/data';
const INDEX_KEY_INFO = 'kez-chat/history-at-rest/v1/index';
const AAD_PREFIX = 'kez-chat/history/v1';

/** The buckets whose contents are sealed; `meta` (the inbox position) and `account` stay as they are. */
export const SEALED_BUCKETS: readonly Bucket[] = ['conversations', 'messages', 'private'];
/** Everything that is history: what `wipeHistory` removes. */
const HISTORY_BUCKETS: readonly Bucket[] = ['conversations', 'messages', 'meta', 'private'];

/** One value as stored: the JSON of `{k, v}` under AES-256-GCM. */
export interface SealedValue {
  readonly sealed: 1;
  readonly iv: Uint8Array;
  readonly ct: Uint8Array;
}

interface Plain {
  readonly k: string;
  readonly v: unknown;
}

/**
 * Values are JSON inside the seal; bytes (a picture, a key) travel as `{"$bytes": <base64url>}`
 * so a Uint8Array comes back as one, as IndexedDB itself would have kept it.
 */
function bytesOut(_key: string, value: unknown): unknown {
  return value instanceof Uint8Array ? { $bytes: base64urlEncode(value) } : value;
}

function bytesIn(_key: string, value: unknown): unknown {
  const candidate = value as { $bytes?: unknown } | null;
  if (typeof candidate === 'object' && candidate !== null && typeof candidate.$bytes === 'string' && Object.keys(candidate).length === 1) {
    return base64urlDecode(candidate.$bytes);
  }
  return value;
}

/** Whether a stored value is a sealed entry (as opposed to one an earlier version kept in clear). */
export function isSealedValue(value: unknown): value is SealedValue {
  const candidate = value as Partial<SealedValue> | null;
  return (
    typeof candidate === 'object' && candidate !== null && candidate.sealed === 1 && candidate.iv instanceof Uint8Array && candidate.ct instanceof Uint8Array
  );
}

/** The two history keys of a seed (32 bytes each), by HKDF-SHA256 with their own info strings. */
export function deriveHistoryKeys(seed: Uint8Array): { dataKey: Uint8Array; indexKey: Uint8Array } {
  const salt = new Uint8Array(0);
  return { dataKey: hkdfSha256(seed, salt, utf8(DATA_KEY_INFO), 32), indexKey: hkdfSha256(seed, salt, utf8(INDEX_KEY_INFO), 32) };
}

/**
 * A Store whose conversation and message buckets are sealed under keys from the seed;
 * other buckets pass through to the underlying store. Values must be JSON data.
 * An entry that does not open with these keys (another identity's, or altered) is
 * left out of every answer rather than failing the whole history.
 */
export class SealedHistoryStore implements Store {
  private readonly dataKey: Uint8Array;
  private readonly indexKey: Uint8Array;

  constructor(
    private readonly base: Store,
    seed: Uint8Array,
  ) {
    ({ dataKey: this.dataKey, indexKey: this.indexKey } = deriveHistoryKeys(seed));
  }

  async get<T>(bucket: Bucket, key: string): Promise<T | undefined> {
    if (!SEALED_BUCKETS.includes(bucket)) {
      return this.base.get<T>(bucket, key);
    }
    const slot = this.slot(bucket, key);
    const plain = this.open(bucket, slot, await this.base.get(bucket, slot));
    return plain?.k === key ? (plain.v as T) : undefined;
  }

  async list<T>(bucket: Bucket, prefix = ''): Promise<T[]> {
    if (!SEALED_BUCKETS.includes(bucket)) {
      return this.base.list<T>(bucket, prefix);
    }
    return (await this.entries<T>(bucket)).filter(([key]) => key.startsWith(prefix)).map(([, value]) => value);
  }

  async entries<T>(bucket: Bucket): Promise<[string, T][]> {
    if (!SEALED_BUCKETS.includes(bucket)) {
      return this.base.entries<T>(bucket);
    }
    const opened: [string, T][] = [];
    for (const [slot, value] of await this.base.entries(bucket)) {
      const plain = this.open(bucket, slot, value);
      if (plain !== null) {
        opened.push([plain.k, plain.v as T]);
      }
    }
    return opened.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  write(ops: readonly WriteOp[]): Promise<void> {
    return this.base.write(ops.map((op) => (SEALED_BUCKETS.includes(op.bucket) ? this.sealOp(op) : op)));
  }

  clear(): Promise<void> {
    return this.base.clear();
  }

  /**
   * Seals what an earlier version stored in clear, in one transaction: each plain
   * entry is written sealed under its hidden key and its clear key is deleted.
   * Returns how many entries it sealed.
   */
  async sealLegacy(): Promise<number> {
    const ops: WriteOp[] = [];
    for (const bucket of SEALED_BUCKETS) {
      for (const [key, value] of await this.base.entries(bucket)) {
        if (!isSealedValue(value)) {
          ops.push({ bucket, key, value: undefined }, this.sealOp({ bucket, key, value }));
        }
      }
    }
    await this.base.write(ops);
    return ops.length / 2;
  }

  /** Where `key` of `bucket` is stored: a keyed hash, so keys (peer primaries, ids) are not on disk. */
  private slot(bucket: Bucket, key: string): string {
    return bytesToHex(hmac(sha256, this.indexKey, utf8(`${bucket}\u0000${key}`)));
  }

  private sealOp(op: WriteOp): WriteOp {
    const slot = this.slot(op.bucket, op.key);
    if (op.value === undefined) {
      return { bucket: op.bucket, key: slot, value: undefined };
    }
    const iv = randomBytes(AES_GCM_IV_BYTES);
    const plain: Plain = { k: op.key, v: op.value };
    const sealed: SealedValue = { sealed: 1, iv, ct: aesGcmSeal(this.dataKey, iv, utf8(JSON.stringify(plain, bytesOut)), this.aad(op.bucket, slot)) };
    return { bucket: op.bucket, key: slot, value: sealed };
  }

  private open(bucket: Bucket, slot: string, value: unknown): Plain | null {
    if (!isSealedValue(value)) {
      return null;
    }
    try {
      return JSON.parse(utf8Decode(aesGcmOpen(this.dataKey, value.iv, value.ct, this.aad(bucket, slot))), bytesIn) as Plain;
    } catch {
      return null;
    }
  }

  private aad(bucket: Bucket, slot: string): Uint8Array {
    return utf8(`${AAD_PREFIX}\n${bucket}\n${slot}`);
  }
}

/**
 * Opens the history with the identity's seed: the store the chat reads and writes
 * through. Seals anything an earlier version left in clear before answering.
 * Call it whenever a seed becomes available (unlock, restore, a kept session).
 */
export async function openHistory(store: Store, seed: Uint8Array): Promise<Store> {
  const history = new SealedHistoryStore(store, seed);
  await history.sealLegacy();
  return history;
}

/**
 * The same sealed view of `store` without the pass over legacy entries, for services
 * that start beside the chat (faces) and keep their state in the `private` bucket.
 */
export function sealedStore(store: Store, seed: Uint8Array): Store {
  return new SealedHistoryStore(store, seed);
}

/** Deletes the message history (conversations, messages, inbox position) and keeps the identity. */
export async function wipeHistory(store: Store): Promise<void> {
  const ops: WriteOp[] = [];
  for (const bucket of HISTORY_BUCKETS) {
    for (const [key] of await store.entries(bucket)) {
      ops.push({ bucket, key, value: undefined });
    }
  }
  await store.write(ops);
}

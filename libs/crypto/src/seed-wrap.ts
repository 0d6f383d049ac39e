import { scryptAsync } from '@noble/hashes/scrypt.js';

import { aesGcmOpen, aesGcmSeal, AES_GCM_IV_BYTES, AES_GCM_TAG_BYTES } from './aes-gcm';
import { base64urlEncode } from './base64url';
import { equalBytes, utf8 } from './encoding';
import { asPlainRecord, decodeField, requireExactKeys } from './envelope-fields';
import { CryptoError, type CryptoErrorCode } from './errors';
import { SEED_BYTES } from './identity';
import { canonicalBytes } from './jcs';
import { randomBytes } from './random';

// A seed at rest, protected by a passphrase (the client keeps this blob in IndexedDB):
//
//   dk    = scrypt(NFKC(passphrase), salt, N, r, p, dkLen 48)
//   key   = dk[0..32]   AES-256-GCM key
//   check = dk[32..48]  stored in clear, so a wrong passphrase is told apart from a
//                       damaged blob; it costs an attacker the same scrypt run as the
//                       GCM tag would, so it gives nothing away
//   ct    = AES-256-GCM(key, iv, seed, aad = JCS({v, kdf, N, r, p, salt}))
//
// The scrypt parameters travel with the blob, so they can be raised later without
// breaking old blobs; the bounds below refuse absurd ones that a damaged or hostile
// blob could use to freeze the page or exhaust its memory.

export const SEED_WRAP_VERSION = 1;

export interface ScryptParams {
  /** CPU/memory cost, a power of two. Memory used is 128·N·r bytes. */
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/** 64 MiB and about half a second in a current browser (see docs/performance.md). */
export const DEFAULT_SCRYPT_PARAMS: ScryptParams = { N: 2 ** 16, r: 8, p: 1 };

const LIMITS = { minLogN: 10, maxLogN: 20, maxR: 32, maxP: 16, maxMemoryBytes: 512 * 1024 * 1024 } as const;
const SALT_BYTES = 16;
const CHECK_BYTES = 16;
const KEY_BYTES = 32;

export interface WrappedSeed {
  v: typeof SEED_WRAP_VERSION;
  kdf: 'scrypt';
  N: number;
  r: number;
  p: number;
  /** base64url, no padding, like every byte field below. */
  salt: string;
  check: string;
  iv: string;
  ct: string;
}

const WRAPPED_KEYS = ['v', 'kdf', 'N', 'r', 'p', 'salt', 'check', 'iv', 'ct'] as const;

/**
 * Why a blob did not open. `wrong_passphrase` also covers a blob whose salt or
 * parameters were changed, because those change the derived key just as a wrong
 * passphrase does; `tampered` means the passphrase was right but the ciphertext is not.
 */
export type SeedWrapFailure = 'wrong_passphrase' | 'tampered' | 'malformed' | 'unsupported';

const FAILURE_CODES: Record<SeedWrapFailure, CryptoErrorCode> = {
  wrong_passphrase: 'decrypt_failed',
  tampered: 'decrypt_failed',
  malformed: 'malformed',
  unsupported: 'unsupported_version',
};

/** A CryptoError (so `isCryptoError` still works) with the precise reason callers show. */
export class SeedWrapError extends CryptoError {
  constructor(
    readonly reason: SeedWrapFailure,
    message: string = reason,
  ) {
    super(FAILURE_CODES[reason], message);
  }
}

export function isSeedWrapError(error: unknown, reason?: SeedWrapFailure): error is SeedWrapError {
  return error instanceof SeedWrapError && (reason === undefined || error.reason === reason);
}

export interface SeedWrapOptions {
  /** Called with 0..1 while scrypt runs, for a progress bar. */
  onProgress?: (fraction: number) => void;
}

function checkParams({ N, r, p }: ScryptParams): void {
  const logN = Math.log2(N);
  const valid =
    Number.isInteger(logN) &&
    logN >= LIMITS.minLogN &&
    logN <= LIMITS.maxLogN &&
    Number.isInteger(r) &&
    r >= 1 &&
    r <= LIMITS.maxR &&
    Number.isInteger(p) &&
    p >= 1 &&
    p <= LIMITS.maxP &&
    128 * N * r <= LIMITS.maxMemoryBytes;
  if (!valid) {
    throw new SeedWrapError('unsupported', 'scrypt parameters out of the accepted range');
  }
}

function checkPassphrase(passphrase: string): string {
  if (typeof passphrase !== 'string' || passphrase.length === 0) {
    throw new SeedWrapError('malformed', 'a passphrase is a non-empty string');
  }
  // The same passphrase typed on another keyboard or OS may arrive in another Unicode form.
  return passphrase.normalize('NFKC');
}

async function deriveKeys(
  passphrase: string,
  salt: Uint8Array,
  params: ScryptParams,
  options: SeedWrapOptions,
): Promise<{ key: Uint8Array; check: Uint8Array }> {
  const dk = await scryptAsync(utf8(passphrase), salt, {
    ...params,
    dkLen: KEY_BYTES + CHECK_BYTES,
    maxmem: LIMITS.maxMemoryBytes + 1024 * 1024,
    onProgress: options.onProgress,
  });
  return { key: dk.slice(0, KEY_BYTES), check: dk.slice(KEY_BYTES) };
}

function headerAad(wrapped: Pick<WrappedSeed, 'v' | 'kdf' | 'N' | 'r' | 'p' | 'salt'>): Uint8Array {
  const { v, kdf, N, r, p, salt } = wrapped;
  return canonicalBytes({ v, kdf, N, r, p, salt });
}

/** Encrypts a 32-byte seed under a passphrase with a fresh salt and IV. */
export async function wrapSeed(
  seed: Uint8Array,
  passphrase: string,
  params: ScryptParams = DEFAULT_SCRYPT_PARAMS,
  options: SeedWrapOptions = {},
): Promise<WrappedSeed> {
  if (!(seed instanceof Uint8Array) || seed.length !== SEED_BYTES) {
    throw new CryptoError('invalid_seed', `a seed is ${SEED_BYTES} bytes`);
  }
  const normalized = checkPassphrase(passphrase);
  checkParams(params);
  const salt = randomBytes(SALT_BYTES);
  const iv = randomBytes(AES_GCM_IV_BYTES);
  const { key, check } = await deriveKeys(normalized, salt, params, options);
  const header = { v: SEED_WRAP_VERSION, kdf: 'scrypt', N: params.N, r: params.r, p: params.p, salt: base64urlEncode(salt) } as const;
  const ct = aesGcmSeal(key, iv, seed, headerAad(header));
  key.fill(0);
  return { ...header, check: base64urlEncode(check), iv: base64urlEncode(iv), ct: base64urlEncode(ct) };
}

/** Reads an untrusted blob (it comes back from storage) field by field. */
function parseWrapped(value: unknown): { wrapped: WrappedSeed; salt: Uint8Array; check: Uint8Array; iv: Uint8Array; ct: Uint8Array } {
  let record: Record<string, unknown>;
  try {
    record = asPlainRecord(value, 'a wrapped seed');
    requireExactKeys(record, WRAPPED_KEYS, 'a wrapped seed');
  } catch (error) {
    throw new SeedWrapError('malformed', (error as Error).message);
  }
  if (record['v'] !== SEED_WRAP_VERSION || record['kdf'] !== 'scrypt') {
    throw new SeedWrapError('unsupported', 'unknown wrapped seed version or KDF');
  }
  const params = { N: record['N'], r: record['r'], p: record['p'] } as ScryptParams;
  checkParams(params);
  try {
    return {
      wrapped: record as unknown as WrappedSeed,
      salt: decodeField(record['salt'], 'salt', { exact: SALT_BYTES }),
      check: decodeField(record['check'], 'check', { exact: CHECK_BYTES }),
      iv: decodeField(record['iv'], 'iv', { exact: AES_GCM_IV_BYTES }),
      ct: decodeField(record['ct'], 'ct', { exact: SEED_BYTES + AES_GCM_TAG_BYTES }),
    };
  } catch (error) {
    throw new SeedWrapError('malformed', (error as Error).message);
  }
}

/**
 * The seed back, or a SeedWrapError: `wrong_passphrase`, `tampered` (right passphrase,
 * damaged ciphertext), `malformed` or `unsupported`.
 */
export async function unwrapSeed(value: unknown, passphrase: string, options: SeedWrapOptions = {}): Promise<Uint8Array> {
  const normalized = checkPassphrase(passphrase);
  const { wrapped, salt, check, iv, ct } = parseWrapped(value);
  const keys = await deriveKeys(normalized, salt, wrapped, options);
  try {
    if (!equalBytes(keys.check, check)) {
      throw new SeedWrapError('wrong_passphrase', 'the passphrase does not open this identity');
    }
    try {
      return aesGcmOpen(keys.key, iv, ct, headerAad(wrapped));
    } catch {
      throw new SeedWrapError('tampered', 'the stored identity is damaged');
    }
  } finally {
    keys.key.fill(0);
  }
}

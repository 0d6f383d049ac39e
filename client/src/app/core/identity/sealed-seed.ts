// Web Crypto only: this file is on the first screen's path (a kept session opens at
// start), where the crypto library is not loaded yet.

/** A seed encrypted with AES-256-GCM under a key the browser holds; the identity's primary is bound as AAD. */
export interface SealedSeed {
  readonly iv: Uint8Array;
  readonly ciphertext: Uint8Array;
}

const IV_BYTES = 12;

/** Encrypts `seed` (32 bytes) under `key` (AES-GCM, usage `encrypt`), bound to `primary`. */
export async function sealSeed(seed: Uint8Array, key: CryptoKey, primary: string): Promise<SealedSeed> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const ciphertext = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(primary) }, key, seed as BufferSource);
  return { iv, ciphertext: new Uint8Array(ciphertext) };
}

/**
 * The seed back; the caller wipes it after use. Rejects (OperationError) when the key,
 * the primary or the bytes are not the ones it was sealed with.
 */
export async function openSeed(sealed: SealedSeed, key: CryptoKey, primary: string): Promise<Uint8Array> {
  const plain = await crypto.subtle.decrypt(
    { name: 'AES-GCM', iv: sealed.iv as BufferSource, additionalData: new TextEncoder().encode(primary) },
    key,
    sealed.ciphertext as BufferSource,
  );
  return new Uint8Array(plain);
}

/** A fresh AES-256-GCM key whose bytes no script can ever read (non-extractable), storable in IndexedDB. */
export function newDeviceKey(): Promise<CryptoKey> {
  return crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
}

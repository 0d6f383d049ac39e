import { put, type Store } from '../storage/store';
import { newDeviceKey, openSeed, type SealedSeed, sealSeed } from './sealed-seed';

// Passkey unlock (WebAuthn Level 3 with the PRF extension). Web Crypto and the
// browser's `navigator.credentials` only: no crypto library needed on the unlock path.

const KEY = 'passkey';
const PRF_INFO = new TextEncoder().encode('kez-chat passkey seed key v1');
/**
 * How long a passkey prompt may wait (WebAuthn `timeout`, ms). Without one, a browser
 * with no authenticator at hand waits for a security key indefinitely and the screen
 * never says why nothing happens; after it, the prompt fails as "cancelled or timed out".
 */
export const PASSKEY_TIMEOUT_MS = 60_000;

/**
 * - `prf`: the seed is sealed under a key derived (HKDF-SHA-256) from the passkey's PRF
 *   output; nothing secret is stored, the authenticator must answer each time.
 * - `gate`: the authenticator has no PRF; the seed is sealed under a non-extractable key
 *   stored beside it, released only after a passkey assertion (a presence and
 *   user-verification gate, not encryption by the passkey).
 */
export type PasskeyMode = 'prf' | 'gate';

interface PasskeyRecord extends SealedSeed {
  readonly primary: string;
  readonly mode: PasskeyMode;
  /** The credential's raw id, base64url. */
  readonly credentialId: string;
  /** The PRF input (32 random bytes), prf mode. */
  readonly prfSalt?: Uint8Array;
  /** The sealing key, gate mode. */
  readonly key?: CryptoKey;
}

export type PasskeyErrorCode = 'unsupported' | 'cancelled' | 'no_authenticator' | 'prf_missing' | 'wrong_passkey' | 'none';

const MESSAGES: Record<PasskeyErrorCode, string> = {
  unsupported: 'This browser does not support passkeys.',
  cancelled: 'The passkey prompt was cancelled or timed out. Try again, or use your passphrase.',
  no_authenticator: 'No passkey device is available here (a phone, a security key or this device’s screen lock). Use your passphrase.',
  prf_missing: 'This passkey did not give the key it was set up with. Use your passphrase, then set up the passkey again in Settings.',
  wrong_passkey: 'That passkey does not belong to this identity. Choose the passkey made for it, or use your passphrase.',
  none: 'No passkey is set up on this device. Use your passphrase.',
};

/** A passkey step that failed; `message` is written for the screen. */
export class PasskeyError extends Error {
  constructor(readonly code: PasskeyErrorCode) {
    super(MESSAGES[code]);
    this.name = 'PasskeyError';
  }
}

/** What this module needs of `navigator.credentials` (so unit tests can play the authenticator). */
export interface Credentials {
  create(options: CredentialCreationOptions): Promise<Credential | null>;
  get(options: CredentialRequestOptions): Promise<Credential | null>;
}

/** Who the passkey is made for. `edPublic` becomes `user.id`: the raw 32 bytes (the text form exceeds WebAuthn's 64-byte limit). */
export interface PasskeyOwner {
  readonly seed: Uint8Array;
  readonly edPublic: Uint8Array;
  readonly primary: string;
  /** `handle@server` or the primary: the name the authenticator shows. */
  readonly label: string;
}

interface PrfOutputs {
  enabled?: boolean;
  results?: { first?: BufferSource };
}

function bytes(length: number): Uint8Array<ArrayBuffer> {
  return crypto.getRandomValues(new Uint8Array(length));
}

function toBase64url(data: ArrayBuffer | Uint8Array): string {
  const view = data instanceof Uint8Array ? data : new Uint8Array(data);
  return btoa(String.fromCharCode(...view))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

function fromBase64url(text: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (char) => char.charCodeAt(0));
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, index) => byte === b[index]);
}

/** The browser's DOMException names, as the person should read them. */
function asPasskeyError(error: unknown): PasskeyError {
  if (error instanceof PasskeyError) {
    return error;
  }
  const name = error instanceof Error || error instanceof DOMException ? error.name : '';
  if (name === 'NotAllowedError' || name === 'AbortError') {
    return new PasskeyError('cancelled');
  }
  if (name === 'NotSupportedError' || name === 'InvalidStateError' || name === 'ConstraintError') {
    return new PasskeyError('no_authenticator');
  }
  return new PasskeyError('unsupported');
}

function prfOutput(credential: PublicKeyCredential): Uint8Array | null {
  const prf = (credential.getClientExtensionResults() as { prf?: PrfOutputs }).prf;
  const first = prf?.results?.first;
  if (first === undefined) {
    return null;
  }
  return ArrayBuffer.isView(first) ? new Uint8Array(first.buffer, first.byteOffset, first.byteLength) : new Uint8Array(first);
}

async function prfKey(output: Uint8Array): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey('raw', output as BufferSource, 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey({ name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(32), info: PRF_INFO }, base, { name: 'AES-GCM', length: 256 }, false, [
    'encrypt',
    'decrypt',
  ]);
}

/**
 * The identity's passkey on this device: register one (PRF where the authenticator has
 * it, the assertion gate otherwise), unlock with it, remove it. Kept in the `account`
 * bucket under `passkey`; "forget this device" erases it with the rest.
 */
export class PasskeyVault {
  constructor(
    private readonly store: Store,
    private readonly credentials: Credentials | undefined = globalThis.navigator?.credentials,
  ) {}

  /** The mode of the passkey set up for `primary`, or null. */
  async mode(primary: string): Promise<PasskeyMode | null> {
    const record = await this.store.get<PasskeyRecord>('account', KEY);
    return record?.primary === primary ? record.mode : null;
  }

  /**
   * Creates a passkey for the unlocked identity and seals its seed to it. Asks the
   * authenticator twice when it gives the PRF output only at sign-in (most do).
   * Resolves with the mode; throws PasskeyError.
   */
  async register(owner: PasskeyOwner): Promise<PasskeyMode> {
    const credentials = this.requireCredentials();
    const prfSalt = bytes(32);
    let credential: PublicKeyCredential;
    try {
      const created = await credentials.create({
        publicKey: {
          rp: { name: 'KEZ chat' },
          user: { id: owner.edPublic as BufferSource, name: owner.label, displayName: owner.label },
          challenge: bytes(32),
          timeout: PASSKEY_TIMEOUT_MS,
          pubKeyCredParams: [
            { type: 'public-key', alg: -8 },
            { type: 'public-key', alg: -7 },
            { type: 'public-key', alg: -257 },
          ],
          authenticatorSelection: { residentKey: 'preferred', userVerification: 'required' },
          extensions: { prf: { eval: { first: prfSalt } } },
        },
      });
      if (!(created instanceof PublicKeyCredential)) {
        throw new PasskeyError('cancelled');
      }
      credential = created;
    } catch (error) {
      throw asPasskeyError(error);
    }
    const credentialId = toBase64url(credential.rawId);
    const prf = (credential.getClientExtensionResults() as { prf?: PrfOutputs }).prf;
    let record: PasskeyRecord;
    if (prf?.enabled === true || prfOutput(credential) !== null) {
      const output = prfOutput(credential) ?? (await this.assert(credentialId, owner.edPublic, prfSalt)).prf;
      if (output === null) {
        throw new PasskeyError('prf_missing');
      }
      const sealed = await sealSeed(owner.seed, await prfKey(output), owner.primary);
      record = { ...sealed, primary: owner.primary, mode: 'prf', credentialId, prfSalt };
    } else {
      const key = await newDeviceKey();
      const sealed = await sealSeed(owner.seed, key, owner.primary);
      record = { ...sealed, primary: owner.primary, mode: 'gate', credentialId, key };
    }
    await put(this.store, 'account', KEY, record);
    return record.mode;
  }

  /**
   * Asks the passkey of `primary` (whose raw public key is `edPublic`) and returns the
   * seed; the caller hands it to Session.unlockWithSeed, which wipes it. Throws PasskeyError.
   */
  async unlock(primary: string, edPublic: Uint8Array): Promise<Uint8Array> {
    const record = await this.store.get<PasskeyRecord>('account', KEY);
    if (record === undefined || record.primary !== primary) {
      throw new PasskeyError('none');
    }
    const { prf } = await this.assert(record.credentialId, edPublic, record.mode === 'prf' ? record.prfSalt : undefined);
    let key: CryptoKey;
    if (record.mode === 'prf') {
      if (prf === null) {
        throw new PasskeyError('prf_missing');
      }
      key = await prfKey(prf);
    } else {
      key = record.key!;
    }
    try {
      return await openSeed(record, key, primary);
    } catch {
      throw new PasskeyError('wrong_passkey');
    }
  }

  /** Forgets the passkey here (the authenticator keeps the credential; remove it there too). */
  remove(): Promise<void> {
    return put(this.store, 'account', KEY, undefined);
  }

  /** One assertion by the given credential, checked to belong to `edPublic`; the PRF output when `prfSalt` is given. */
  private async assert(credentialId: string, edPublic: Uint8Array, prfSalt?: Uint8Array): Promise<{ prf: Uint8Array | null }> {
    const credentials = this.requireCredentials();
    let assertion: Credential | null;
    try {
      assertion = await credentials.get({
        publicKey: {
          challenge: bytes(32),
          timeout: PASSKEY_TIMEOUT_MS,
          allowCredentials: [{ type: 'public-key', id: fromBase64url(credentialId) }],
          userVerification: 'required',
          extensions: prfSalt ? ({ prf: { eval: { first: prfSalt } } } as AuthenticationExtensionsClientInputs) : undefined,
        },
      });
    } catch (error) {
      throw asPasskeyError(error);
    }
    if (!(assertion instanceof PublicKeyCredential)) {
      throw new PasskeyError('cancelled');
    }
    const userHandle = (assertion.response as AuthenticatorAssertionResponse).userHandle;
    if (userHandle !== null && !equalBytes(new Uint8Array(userHandle), edPublic)) {
      throw new PasskeyError('wrong_passkey');
    }
    return { prf: prfOutput(assertion) };
  }

  private requireCredentials(): Credentials {
    if (this.credentials === undefined || typeof PublicKeyCredential === 'undefined') {
      throw new PasskeyError('unsupported');
    }
    return this.credentials;
  }
}

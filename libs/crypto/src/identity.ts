import { ed25519 } from '@noble/curves/ed25519.js';
import { schnorr } from '@noble/curves/secp256k1.js';
import { HDKey } from '@scure/bip32';
import { entropyToMnemonic, mnemonicToEntropy, mnemonicToSeedSync, validateMnemonic } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';

import { bytesToHex } from './encoding';
import { CryptoError } from './errors';
import { publicKeyToPrimary } from './keys';
import { randomBytes } from './random';
import { x25519PublicKey } from './x25519';

// A user's whole identity grows from one 32-byte seed (contract section 1):
//   seed ──ed25519──> primary;  seed ──Montgomery──> x25519 encryption pair;
//   seed = BIP39 entropy ──phrase──> BIP39 seed ──NIP-06──> nostr key (addr).
// The nostr key goes through the phrase rather than the seed so that the same 24
// words restore it in any NIP-06 nostr client.

export const SEED_BYTES = 32;
export const PHRASE_WORDS = 24;
/** NIP-06 derivation path (SLIP-44 coin type 1237 is nostr). */
export const NIP06_PATH = "m/44'/1237'/0'/0/0";

export interface Identity {
  /** The 32-byte secret everything else derives from; its phrase is the backup. */
  readonly seed: Uint8Array;
  /** RFC 8032 ed25519 secret key: the seed itself. */
  readonly edSecret: Uint8Array;
  readonly edPublic: Uint8Array;
  /** `ed25519:<64 hex>`: the identity everywhere. */
  readonly primary: string;
  /** X25519 secret: the clamped scalar of the ed25519 key (Montgomery form). */
  readonly xSecret: Uint8Array;
  readonly xPublic: Uint8Array;
  /** secp256k1 secret from NIP-06 over the phrase. */
  readonly nostrSecret: Uint8Array;
  /** BIP340 x-only public key of nostrSecret, 64 hex: the routing address. */
  readonly addr: string;
}

export function generateSeed(): Uint8Array {
  return randomBytes(SEED_BYTES);
}

function checkSeed(seed: Uint8Array): void {
  if (!(seed instanceof Uint8Array) || seed.length !== SEED_BYTES) {
    throw new CryptoError('invalid_seed', `a seed is ${SEED_BYTES} bytes`);
  }
}

/** The 24-word BIP39 English mnemonic whose entropy is the seed. */
export function seedToPhrase(seed: Uint8Array): string {
  checkSeed(seed);
  return entropyToMnemonic(seed, wordlist);
}

/**
 * What users type is forgiven for spacing and case only: NFKD (as BIP39 specifies),
 * lower-case, single spaces. Everything else must be exact.
 */
export function normalizePhrase(phrase: string): string {
  if (typeof phrase !== 'string') {
    throw new CryptoError('invalid_phrase', 'a phrase is a string');
  }
  return phrase.normalize('NFKD').trim().toLowerCase().split(/\s+/u).join(' ');
}

/** Inverse of seedToPhrase; refuses unknown words, a bad checksum or another length. */
export function phraseToSeed(phrase: string): Uint8Array {
  const normalized = normalizePhrase(phrase);
  if (normalized.split(' ').length !== PHRASE_WORDS) {
    throw new CryptoError('invalid_phrase', `a recovery phrase has ${PHRASE_WORDS} words`);
  }
  try {
    return mnemonicToEntropy(normalized, wordlist);
  } catch {
    throw new CryptoError('invalid_phrase', 'unknown word or bad checksum');
  }
}

/**
 * NIP-06: BIP39 seed of the phrase (empty passphrase), BIP32 m/44'/1237'/0'/0/0,
 * BIP340 x-only public key. Accepts any valid BIP39 English length (NIP-06's own
 * vectors use 12 words); KEZ identities always use 24.
 */
export function nostrKeyFromPhrase(phrase: string): { nostrSecret: Uint8Array; addr: string } {
  const normalized = normalizePhrase(phrase);
  if (!validateMnemonic(normalized, wordlist)) {
    throw new CryptoError('invalid_phrase', 'not a BIP39 English mnemonic');
  }
  const bip39Seed = mnemonicToSeedSync(normalized, '');
  const root = HDKey.fromMasterSeed(bip39Seed);
  const child = root.derive(NIP06_PATH);
  const secret = child.privateKey;
  if (!secret) {
    throw new Error('BIP32 derivation produced no private key');
  }
  const nostrSecret = secret.slice();
  child.wipePrivateData();
  root.wipePrivateData();
  bip39Seed.fill(0);
  return { nostrSecret, addr: bytesToHex(schnorr.getPublicKey(nostrSecret)) };
}

export function deriveIdentity(seed: Uint8Array): Identity {
  return identityWithNostrKey(seed, nostrKeyFromPhrase(seedToPhrase(seed)));
}

/**
 * The identity of `seed` with the nostr key given rather than derived by NIP-06 from
 * the phrase: for load tools that need many identities fast (the server cannot tell
 * the difference; BIP39 costs 2,048 PBKDF2 rounds each). Clients use `deriveIdentity`.
 *
 * @throws CryptoError `invalid_key` when the seed is not 32 bytes.
 */
export function identityWithNostrKey(seed: Uint8Array, nostr: { nostrSecret: Uint8Array; addr: string }): Identity {
  checkSeed(seed);
  const edPublic = ed25519.getPublicKey(seed);
  const xSecret = ed25519.utils.toMontgomerySecret(seed);
  const { nostrSecret, addr } = nostr;
  return {
    seed: seed.slice(),
    edSecret: seed.slice(),
    edPublic,
    primary: publicKeyToPrimary(edPublic),
    xSecret,
    xPublic: x25519PublicKey(xSecret),
    nostrSecret,
    addr,
  };
}

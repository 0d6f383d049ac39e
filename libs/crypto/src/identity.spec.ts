import { ed25519 } from '@noble/curves/ed25519.js';
import { entropyToMnemonic, mnemonicToSeedSync } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';

import { readVector } from '../test-vectors/load';
import { bytesToHex, hexToBytes } from './encoding';
import { CryptoError } from './errors';
import { deriveIdentity, generateSeed, nostrKeyFromPhrase, phraseToSeed, seedToPhrase } from './identity';
import { isValidAddr, isValidPrimary } from './keys';
import { x25519SharedSecret } from './x25519';

/** [entropy, mnemonic, seed with passphrase "TREZOR", xprv]. */
const bip39 = readVector<{ english: [string, string, string, string][] }>('standard/bip39-english.json').english;
const nip06 = readVector<{ mnemonic: string; privateKey: string; publicKey: string }[]>('standard/nip06.json');

describe(seedToPhrase.name, () => {
  it.each(bip39.map(([entropy, mnemonic, seed]) => [mnemonic.split(' ').length, entropy, mnemonic, seed] as const))(
    'BIP39 (%i words): entropy %s',
    (words, entropy, mnemonic, seed) => {
      // The library's BIP39 as BIP39 defines it, checked against the Trezor vectors...
      expect(entropyToMnemonic(hexToBytes(entropy), wordlist)).toBe(mnemonic);
      expect(bytesToHex(mnemonicToSeedSync(mnemonic, 'TREZOR'))).toBe(seed);
      // ...and our phrase functions on the 24-word ones, the length of a KEZ seed.
      if (words === 24) {
        expect(seedToPhrase(hexToBytes(entropy))).toBe(mnemonic);
        expect(bytesToHex(phraseToSeed(mnemonic))).toBe(entropy);
      }
    },
  );

  it('refuses a seed that is not 32 bytes', () => {
    expect(() => seedToPhrase(new Uint8Array(16))).toThrow(expect.objectContaining({ code: 'invalid_seed' }));
  });
});

describe(phraseToSeed.name, () => {
  const mnemonic = bip39.find(([, phrase]) => phrase.split(' ').length === 24)![1];

  it('forgives case and whitespace', () => {
    const messy = `  ${mnemonic.toUpperCase().split(' ').join(' \t\n ')}  `;
    expect(phraseToSeed(messy)).toEqual(phraseToSeed(mnemonic));
  });

  it('round-trips random seeds', () => {
    for (let i = 0; i < 10; i++) {
      const seed = generateSeed();
      expect(seed).toHaveLength(32);
      expect(phraseToSeed(seedToPhrase(seed))).toEqual(seed);
    }
  });

  it.each([
    ['a bad checksum', mnemonic.replace(/\S+$/u, mnemonic.endsWith('zoo') ? 'abandon' : 'zoo')],
    ['an unknown word', mnemonic.replace(/^\S+/u, 'kez')],
    ['12 words', bip39[0]![1]],
    ['25 words', `${mnemonic} abandon`],
    ['nothing', ''],
  ])('refuses %s with invalid_phrase', (_, phrase) => {
    expect(() => phraseToSeed(phrase)).toThrow(CryptoError);
    expect(() => phraseToSeed(phrase)).toThrow(expect.objectContaining({ code: 'invalid_phrase' }));
  });
});

describe(nostrKeyFromPhrase.name, () => {
  it.each(nip06.map((vector) => [vector.mnemonic.split(' ').length, vector] as const))('NIP-06 vector (%i words)', (_, vector) => {
    const key = nostrKeyFromPhrase(vector.mnemonic);
    expect(bytesToHex(key.nostrSecret)).toBe(vector.privateKey);
    expect(key.addr).toBe(vector.publicKey);
  });

  it('refuses a phrase that is not BIP39', () => {
    expect(() => nostrKeyFromPhrase('not a phrase')).toThrow(expect.objectContaining({ code: 'invalid_phrase' }));
  });
});

describe(deriveIdentity.name, () => {
  it('derives the NIP-06 addr of the 24-word vector through the seed', () => {
    const vector = nip06.find((item) => item.mnemonic.split(' ').length === 24)!;
    const identity = deriveIdentity(phraseToSeed(vector.mnemonic));
    expect(bytesToHex(identity.nostrSecret)).toBe(vector.privateKey);
    expect(identity.addr).toBe(vector.publicKey);
  });

  it('derives the RFC 8032 test 1 public key as the primary', () => {
    const identity = deriveIdentity(hexToBytes('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60'));
    expect(identity.primary).toBe('ed25519:d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
    expect(bytesToHex(identity.edPublic)).toBe('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
    expect(identity.edSecret).toEqual(identity.seed);
  });

  it('gives a consistent key set', () => {
    const identity = deriveIdentity(generateSeed());
    expect(isValidPrimary(identity.primary)).toBe(true);
    expect(isValidAddr(identity.addr)).toBe(true);
    expect(identity.xPublic).toEqual(ed25519.utils.toMontgomery(identity.edPublic));
    expect(identity.xSecret).toEqual(ed25519.utils.toMontgomerySecret(identity.seed));
    // Two identities agree on an x25519 secret from either side.
    const other = deriveIdentity(generateSeed());
    expect(x25519SharedSecret(identity.xSecret, other.xPublic)).toEqual(x25519SharedSecret(other.xSecret, identity.xPublic));
  });

  it('does not alias the caller seed', () => {
    const seed = generateSeed();
    const identity = deriveIdentity(seed);
    seed.fill(0);
    expect(identity.seed).not.toEqual(seed);
  });

  it('refuses a seed that is not 32 bytes', () => {
    expect(() => deriveIdentity(new Uint8Array(31))).toThrow(expect.objectContaining({ code: 'invalid_seed' }));
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { schnorr } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { v2 } from 'nostr-tools/nip44';

import { isClassicNip44Payload } from './nip44-limits';

// NIP-44 v2 is done by nostr-tools (NIP-17 seals and gift wraps); these are the
// standard's own vectors, held against the implementation this project ships.

interface Vectors {
  v2: {
    valid: {
      get_conversation_key: { sec1: string; pub2: string; conversation_key: string }[];
      calc_padded_len: [number, number][];
      encrypt_decrypt: { sec1: string; sec2: string; conversation_key: string; nonce: string; plaintext: string; payload: string }[];
      encrypt_decrypt_long_msg: {
        conversation_key: string;
        nonce: string;
        pattern: string;
        repeat: number;
        plaintext_sha256: string;
        payload_sha256: string;
      }[];
    };
    invalid: {
      encrypt_msg_lengths: number[];
      get_conversation_key: { sec1: string; pub2: string; note: string }[];
      decrypt: { conversation_key: string; payload: string; note: string }[];
    };
  };
}

const vectors = (JSON.parse(readFileSync(join(__dirname, '../test-vectors/nip44.vectors.json'), 'utf8')) as Vectors).v2;
const utf8 = new TextEncoder();

describe('NIP-44 v2 (nostr-tools) against the NIP-44 vectors', () => {
  it.each(vectors.valid.get_conversation_key)('derives conversation key $conversation_key', ({ sec1, pub2, conversation_key }) => {
    expect(bytesToHex(v2.utils.getConversationKey(hexToBytes(sec1), pub2))).toBe(conversation_key);
  });

  it.each(vectors.valid.calc_padded_len)('pads %i bytes to %i', (length, padded) => {
    expect(v2.utils.calcPaddedLen(length)).toBe(padded);
  });

  it.each(vectors.valid.encrypt_decrypt)('encrypts and decrypts $plaintext', ({ sec1, sec2, conversation_key, nonce, plaintext, payload }) => {
    const key = v2.utils.getConversationKey(hexToBytes(sec1), bytesToHex(schnorrPublicKey(sec2)));
    expect(bytesToHex(key)).toBe(conversation_key);
    expect(v2.encrypt(plaintext, key, hexToBytes(nonce))).toBe(payload);
    expect(v2.decrypt(payload, key)).toBe(plaintext);
  });

  it.each(vectors.valid.encrypt_decrypt_long_msg)(
    'handles a $repeat-character message',
    ({ conversation_key, nonce, pattern, repeat, plaintext_sha256, payload_sha256 }) => {
      const plaintext = pattern.repeat(repeat);
      expect(bytesToHex(sha256(utf8.encode(plaintext)))).toBe(plaintext_sha256);
      const payload = v2.encrypt(plaintext, hexToBytes(conversation_key), hexToBytes(nonce));
      expect(bytesToHex(sha256(utf8.encode(payload)))).toBe(payload_sha256);
      expect(v2.decrypt(payload, hexToBytes(conversation_key))).toBe(plaintext);
    },
  );

  // nostr-tools writes the later large-payload extension for these lengths; the vectors
  // (and apps on the original rule) refuse them, so this project checks what it sends.
  it.each(vectors.invalid.encrypt_msg_lengths.filter((length) => length <= 100_000))('never sends a %i-byte plaintext as NIP-44 v2', (length) => {
    const key = new Uint8Array(32).fill(7);
    let payload: string;
    try {
      payload = v2.encrypt('x'.repeat(length), key);
    } catch {
      return; // refused by nostr-tools itself (the empty message)
    }
    expect(isClassicNip44Payload(payload)).toBe(false);
  });

  it('accepts the longest payload of the original NIP-44 v2 and the vectors', () => {
    const key = new Uint8Array(32).fill(7);
    expect(isClassicNip44Payload(v2.encrypt('x'.repeat(65_535), key))).toBe(true);
    for (const { payload } of vectors.valid.encrypt_decrypt) {
      expect(isClassicNip44Payload(payload)).toBe(true);
    }
  });

  it.each(vectors.invalid.get_conversation_key)('refuses a conversation key: $note', ({ sec1, pub2 }) => {
    expect(() => v2.utils.getConversationKey(hexToBytes(sec1), pub2)).toThrow();
  });

  it.each(vectors.invalid.decrypt)('refuses to decrypt: $note', ({ conversation_key, payload }) => {
    expect(() => v2.decrypt(payload, hexToBytes(conversation_key))).toThrow();
  });
});

function schnorrPublicKey(secretHex: string): Uint8Array {
  return schnorr.getPublicKey(hexToBytes(secretHex));
}

import { bytesToHex, hexToBytes, scramblePixels, visualPermutation } from '../src/index';

// The project's known-answer vector for visual encryption v1 (docs/protocol.md
// "Profile pictures"): a fixed key, salt and 4×4 RGBA picture → the permutation and
// the scrambled pixels. Deterministic; written by generate-visual.ts.

export interface VisualVector {
  description: string;
  key: string;
  salt: string;
  width: number;
  height: number;
  /** RGBA bytes, row by row, hex. */
  pixels: string;
  /** Scrambled pixel i is original pixel permutation[i]. */
  permutation: number[];
  scrambled: string;
}

/** Pixel i of the 4×4 fixture is (16·i, 255 − 16·i, i, 255): every pixel distinct. */
export function visualFixture(): Uint8Array {
  const pixels = new Uint8Array(4 * 4 * 4);
  for (let i = 0; i < 16; i++) {
    pixels.set([16 * i, 255 - 16 * i, i, 255], i * 4);
  }
  return pixels;
}

export function buildVisualVector(): VisualVector {
  const key = hexToBytes('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
  const salt = hexToBytes('a0a1a2a3a4a5a6a7a8a9aaabacadaeaf');
  const pixels = visualFixture();
  return {
    description: 'visual encryption v1: seed = HKDF-SHA256(key, salt, "kez-chat/visual/v1/permutation", 32) → xoshiro256** → Fisher–Yates',
    key: bytesToHex(key),
    salt: bytesToHex(salt),
    width: 4,
    height: 4,
    pixels: bytesToHex(pixels),
    permutation: [...visualPermutation(key, salt, 16)],
    scrambled: bytesToHex(scramblePixels({ width: 4, height: 4, data: pixels }, key, salt).data),
  };
}

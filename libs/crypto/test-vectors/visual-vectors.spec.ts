import { hkdfSync } from 'node:crypto';

import { bytesToHex, hexToBytes, unscramblePixels, Xoshiro256StarStar } from '../src/index';
import { buildVisualVector, type VisualVector } from './build-visual-vectors';
import { readVector, readVectorText } from './load';

describe('visual encryption v1 known-answer vector (visual-v1.json)', () => {
  const vector = readVector<VisualVector>('visual-v1.json');

  it('is exactly what the builder produces', () => {
    expect(readVectorText('visual-v1.json')).toBe(`${JSON.stringify(buildVisualVector(), null, 2)}\n`);
  });

  it('follows the documented construction step by step (HKDF from node:crypto, Fisher–Yates written out)', () => {
    const seed = new Uint8Array(hkdfSync('sha256', hexToBytes(vector.key), hexToBytes(vector.salt), 'kez-chat/visual/v1/permutation', 32));
    const generator = Xoshiro256StarStar.fromBytes(seed);
    const permutation = Array.from({ length: 16 }, (_, i) => i);
    for (let i = 15; i > 0; i--) {
      const j = generator.below(i + 1);
      [permutation[i], permutation[j]] = [permutation[j]!, permutation[i]!];
    }
    expect(permutation).toEqual(vector.permutation);
    const pixels = hexToBytes(vector.pixels);
    const expected = new Uint8Array(64);
    permutation.forEach((from, to) => expected.set(pixels.subarray(from * 4, from * 4 + 4), to * 4));
    expect(bytesToHex(expected)).toBe(vector.scrambled);
  });

  it('unscrambles back to the fixture', () => {
    const restored = unscramblePixels({ width: 4, height: 4, data: hexToBytes(vector.scrambled) }, hexToBytes(vector.key), hexToBytes(vector.salt));
    expect(bytesToHex(restored.data)).toBe(vector.pixels);
  });
});

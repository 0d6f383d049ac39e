import { hexToBytes } from './encoding';
import { Xoshiro256StarStar } from './xoshiro256';
import { readVector } from '../test-vectors/load';

interface XoshiroVectors {
  vectors: { state: [string, string, string, string]; outputs: string[] }[];
}

const toWord = (hex: string): bigint => BigInt(`0x${hex}`);

describe('xoshiro256**', () => {
  const { vectors } = readVector<XoshiroVectors>('standard/xoshiro/xoshiro256starstar.json');

  it.each(vectors.map((vector, index) => [index, vector] as const))('matches the reference C outputs (state %i)', (_index, vector) => {
    const generator = new Xoshiro256StarStar([toWord(vector.state[0]), toWord(vector.state[1]), toWord(vector.state[2]), toWord(vector.state[3])]);
    expect(vector.outputs.length).toBeGreaterThanOrEqual(20);
    for (const expected of vector.outputs) {
      expect(generator.next()).toBe(toWord(expected));
    }
  });

  it('reads a 32-byte seed as four little-endian words', () => {
    const seed = hexToBytes(`0100000000000000${'0200000000000000'}${'0300000000000000'}${'0400000000000000'}`);
    const [first] = vectors;
    expect(Xoshiro256StarStar.fromBytes(seed).next()).toBe(toWord(first!.outputs[0]!));
  });

  it('refuses an all-zero state and a seed of the wrong length', () => {
    expect(() => new Xoshiro256StarStar([0n, 0n, 0n, 0n])).toThrow(expect.objectContaining({ code: 'invalid_key' }));
    expect(() => Xoshiro256StarStar.fromBytes(new Uint8Array(31))).toThrow(expect.objectContaining({ code: 'invalid_length' }));
  });

  it('draws bounded integers in range, each value reachable', () => {
    const generator = new Xoshiro256StarStar([1n, 2n, 3n, 4n]);
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++) {
      const value = generator.below(7);
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(7);
      seen.add(value);
    }
    expect(seen.size).toBe(7);
    expect(() => generator.below(0)).toThrow(RangeError);
  });
});

import { CryptoError } from './errors';

// xoshiro256** 1.0 (Blackman and Vigna, https://prng.di.unimi.it/): a fast, small
// non-cryptographic generator. Here it only expands a secret HKDF seed into the
// sequence a Fisher–Yates shuffle consumes (visual-permutation.ts); its output is never
// a key. State and outputs are 64-bit, held as BigInt and cut to 64 bits after each
// step. Pinned by the reference C code's outputs in
// test-vectors/standard/xoshiro/ (xoshiro256.spec.ts).

const MASK64 = (1n << 64n) - 1n;
const TWO32 = 0x1_0000_0000;

function rotl(x: bigint, k: bigint): bigint {
  return ((x << k) | (x >> (64n - k))) & MASK64;
}

/** One xoshiro256** generator. */
export class Xoshiro256StarStar {
  private readonly s: [bigint, bigint, bigint, bigint];

  /**
   * @param state four 64-bit words, not all zero (the one state the generator cannot leave).
   * @throws CryptoError `invalid_key` for an all-zero or out-of-range state.
   */
  constructor(state: readonly [bigint, bigint, bigint, bigint]) {
    if (state.some((word) => word < 0n || word > MASK64) || state.every((word) => word === 0n)) {
      throw new CryptoError('invalid_key', 'xoshiro256** needs four 64-bit words, not all zero');
    }
    this.s = [state[0], state[1], state[2], state[3]];
  }

  /**
   * A generator whose state is 32 bytes read as four little-endian 64-bit words.
   * @throws CryptoError `invalid_length` unless 32 bytes; `invalid_key` when all zero.
   */
  static fromBytes(seed: Uint8Array): Xoshiro256StarStar {
    if (seed.length !== 32) {
      throw new CryptoError('invalid_length', 'a xoshiro256** seed is 32 bytes');
    }
    const view = new DataView(seed.buffer, seed.byteOffset, seed.byteLength);
    const word = (i: number): bigint => view.getBigUint64(i * 8, true);
    return new Xoshiro256StarStar([word(0), word(1), word(2), word(3)]);
  }

  /** The next 64-bit output; the reference `next()`, step for step. */
  next(): bigint {
    const s = this.s;
    const result = (rotl((s[1] * 5n) & MASK64, 7n) * 9n) & MASK64;
    const t = (s[1] << 17n) & MASK64;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45n);
    return result;
  }

  /**
   * A uniform integer in [0, bound) from the upper 32 bits of outputs (the better
   * bits, per the authors), by rejection so that no value is favoured.
   * @throws RangeError unless 1 ≤ bound ≤ 2^32.
   */
  below(bound: number): number {
    if (!Number.isInteger(bound) || bound < 1 || bound > TWO32) {
      throw new RangeError('bound is an integer in 1..2^32');
    }
    const limit = TWO32 - (TWO32 % bound);
    for (;;) {
      const value = Number(this.next() >> 32n);
      if (value < limit) {
        return value % bound;
      }
    }
  }
}

import fc from 'fast-check';

import { bytesToHex } from './encoding';
import {
  newVisualSecret,
  readVisualFragment,
  type RgbaImage,
  scramblePixels,
  unscramblePixels,
  visualPermutation,
  withVisualFragment,
} from './visual-scramble';

function gradient(width: number, height: number): RgbaImage {
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    data.set([i % 256, (i >> 8) % 256, (i * 7) % 256, 255], i * 4);
  }
  return { width, height, data };
}

function histogram(image: RgbaImage): string[] {
  const pixels: string[] = [];
  for (let i = 0; i < image.data.length; i += 4) {
    pixels.push(bytesToHex(image.data.subarray(i, i + 4)));
  }
  return pixels.sort();
}

describe('visual scrambling', () => {
  it('scramble then unscramble is the identity (any size, any key)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 24 }),
        fc.integer({ min: 1, max: 24 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        (width, height, key, salt) => {
          const image = gradient(width, height);
          expect(unscramblePixels(scramblePixels(image, key, salt), key, salt).data).toEqual(image.data);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('moves pixels around and keeps the colour histogram (which the threat model states)', () => {
    const image = gradient(64, 64);
    const { key, salt } = newVisualSecret();
    const scrambled = scramblePixels(image, key, salt);
    expect(scrambled.data).not.toEqual(image.data);
    expect(histogram(scrambled)).toEqual(histogram(image));
  });

  it('a wrong key or a wrong salt does not unscramble', () => {
    const image = gradient(32, 32);
    const { key, salt } = newVisualSecret();
    const other = newVisualSecret();
    const scrambled = scramblePixels(image, key, salt);
    const wrongKey = unscramblePixels(scrambled, other.key, salt);
    const wrongSalt = unscramblePixels(scrambled, key, other.salt);
    for (const attempt of [wrongKey, wrongSalt]) {
      let samePixels = 0;
      for (let i = 0; i < 32 * 32; i++) {
        if (bytesToHex(attempt.data.subarray(i * 4, i * 4 + 4)) === bytesToHex(image.data.subarray(i * 4, i * 4 + 4))) {
          samePixels++;
        }
      }
      // A random permutation of 1024 pixels fixes about one of them.
      expect(samePixels).toBeLessThan(32);
    }
  });

  it('is a permutation: every position exactly once', () => {
    const { key, salt } = newVisualSecret();
    const permutation = visualPermutation(key, salt, 1000);
    expect([...permutation].sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it('refuses bad keys, salts and pixel buffers', () => {
    const { key, salt } = newVisualSecret();
    expect(() => scramblePixels(gradient(2, 2), key.subarray(1), salt)).toThrow(expect.objectContaining({ code: 'invalid_key' }));
    expect(() => scramblePixels(gradient(2, 2), key, salt.subarray(1))).toThrow(expect.objectContaining({ code: 'invalid_length' }));
    expect(() => scramblePixels({ width: 2, height: 2, data: new Uint8Array(15) }, key, salt)).toThrow(expect.objectContaining({ code: 'invalid_length' }));
  });

  it('writes and reads the #kez-visual-v1 fragment', () => {
    const { salt } = newVisualSecret();
    const url = withVisualFragment('data:image/png;base64,AAAA#old', salt);
    expect(url).toBe(`data:image/png;base64,AAAA#kez-visual-v1:${bytesToHex(salt)}`);
    expect(readVisualFragment(url)).toEqual({ url: 'data:image/png;base64,AAAA', salt });
    expect(readVisualFragment('data:image/png;base64,AAAA')).toEqual({ url: 'data:image/png;base64,AAAA' });
    expect(readVisualFragment('https://x/y.png#kez-visual-v1:zz')).toEqual({ url: 'https://x/y.png' });
    expect(readVisualFragment('https://x/y.png#other')).toEqual({ url: 'https://x/y.png' });
  });
});

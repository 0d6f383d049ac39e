import { bytesToHex, hexToBytes, isHex, utf8 } from './encoding';
import { CryptoError } from './errors';
import { hkdfSha256 } from './hkdf';
import { randomBytes } from './random';
import { Xoshiro256StarStar } from './xoshiro256';

// Visual encryption v1 (docs/protocol.md "Profile pictures"): the pixels of a picture
// are permuted by a keyed Fisher–Yates shuffle, so the published picture is coloured
// noise with exactly the original's colour histogram. The shuffle's randomness is
// xoshiro256** seeded with HKDF-SHA256(ikm = picture key, salt = picture salt,
// info = "kez-chat/visual/v1/permutation", 32 bytes) read as four little-endian
// 64-bit words. The salt travels in the picture's data URL fragment
// (`#kez-visual-v1:<hex salt>`); the key only inside the wraps of visual-keys.ts.

export const VISUAL_KEY_BYTES = 32;
export const VISUAL_SALT_BYTES = 16;
export const VISUAL_FRAGMENT_PREFIX = '#kez-visual-v1:';
const PERMUTATION_INFO = utf8('kez-chat/visual/v1/permutation');

/** An RGBA picture: `data` holds width × height × 4 bytes, row by row. */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/** A fresh picture key and salt (rotate both together: a new picture, a new pair). */
export function newVisualSecret(): { key: Uint8Array; salt: Uint8Array } {
  return { key: randomBytes(VISUAL_KEY_BYTES), salt: randomBytes(VISUAL_SALT_BYTES) };
}

function checkSecret(key: Uint8Array, salt: Uint8Array): void {
  if (key.length !== VISUAL_KEY_BYTES) {
    throw new CryptoError('invalid_key', `a picture key is ${VISUAL_KEY_BYTES} bytes`);
  }
  if (salt.length !== VISUAL_SALT_BYTES) {
    throw new CryptoError('invalid_length', `a picture salt is ${VISUAL_SALT_BYTES} bytes`);
  }
}

function checkImage(image: RgbaImage): number {
  const { width, height, data } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || data.length !== width * height * 4) {
    throw new CryptoError('invalid_length', 'an RGBA image has width × height × 4 bytes');
  }
  return width * height;
}

/**
 * The permutation of `count` pixel positions for this key and salt: the pixel at
 * position i of the scrambled picture is the original's pixel `permutation[i]`.
 * Fisher–Yates from the last position down, j = below(i + 1) (Xoshiro256StarStar.below).
 *
 * @throws CryptoError `invalid_key` / `invalid_length` for a key or salt of the wrong size.
 */
export function visualPermutation(key: Uint8Array, salt: Uint8Array, count: number): Uint32Array {
  checkSecret(key, salt);
  const generator = Xoshiro256StarStar.fromBytes(hkdfSha256(key, salt, PERMUTATION_INFO, 32));
  const permutation = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    permutation[i] = i;
  }
  for (let i = count - 1; i > 0; i--) {
    const j = generator.below(i + 1);
    const held = permutation[i]!;
    permutation[i] = permutation[j]!;
    permutation[j] = held;
  }
  return permutation;
}

/** The picture with its pixels (4 bytes each) moved by the keyed permutation. */
export function scramblePixels(image: RgbaImage, key: Uint8Array, salt: Uint8Array): RgbaImage {
  const count = checkImage(image);
  const permutation = visualPermutation(key, salt, count);
  const source = new Uint32Array(image.data.slice().buffer);
  const out = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    out[i] = source[permutation[i]!]!;
  }
  return { width: image.width, height: image.height, data: new Uint8Array(out.buffer) };
}

/**
 * The inverse of scramblePixels. With the wrong key or salt the result is simply
 * another noise picture: nothing here can tell (a wrap's AES-GCM is what authenticates).
 */
export function unscramblePixels(image: RgbaImage, key: Uint8Array, salt: Uint8Array): RgbaImage {
  const count = checkImage(image);
  const permutation = visualPermutation(key, salt, count);
  const source = new Uint32Array(image.data.slice().buffer);
  const out = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    out[permutation[i]!] = source[i]!;
  }
  return { width: image.width, height: image.height, data: new Uint8Array(out.buffer) };
}

/** `dataUrl` with the v1 fragment naming `salt` (any earlier fragment replaced). */
export function withVisualFragment(dataUrl: string, salt: Uint8Array): string {
  if (salt.length !== VISUAL_SALT_BYTES) {
    throw new CryptoError('invalid_length', `a picture salt is ${VISUAL_SALT_BYTES} bytes`);
  }
  const hash = dataUrl.indexOf('#');
  return `${hash < 0 ? dataUrl : dataUrl.slice(0, hash)}${VISUAL_FRAGMENT_PREFIX}${bytesToHex(salt)}`;
}

/**
 * Splits a picture URL into the URL without fragment and the v1 salt; `salt` is
 * undefined when the URL carries no (well-formed) `#kez-visual-v1:` fragment, i.e.
 * the picture is plain.
 */
export function readVisualFragment(url: string): { url: string; salt?: Uint8Array } {
  const hash = url.indexOf('#');
  if (hash < 0) {
    return { url };
  }
  const fragment = url.slice(hash);
  const bare = url.slice(0, hash);
  if (!fragment.startsWith(VISUAL_FRAGMENT_PREFIX)) {
    return { url: bare };
  }
  const hex = fragment.slice(VISUAL_FRAGMENT_PREFIX.length);
  return isHex(hex, VISUAL_SALT_BYTES) ? { url: bare, salt: hexToBytes(hex) } : { url: bare };
}

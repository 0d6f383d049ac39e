import { base64urlDecode } from '@kez/crypto';

import { PictureFormatError } from './png-pixels';

// Picture bytes ↔ data URLs. A published picture is a PNG (the noise, or an older
// plain picture); the contacts' exact copy and a plain picture are a JPEG (earlier
// versions published a PNG there too, so both are read). The type is taken from the
// bytes' signature, never from what a relay's text claims.

/** The picture types this app shows from a kind 0. */
export type PictureType = 'image/png' | 'image/jpeg';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG_SIGNATURE = [0xff, 0xd8, 0xff];

const startsWith = (bytes: Uint8Array, signature: readonly number[]): boolean =>
  bytes.length > signature.length && signature.every((byte, i) => bytes[i] === byte);

/** The type of `bytes` by their signature; undefined for anything but a PNG or JPEG. */
export function pictureType(bytes: Uint8Array): PictureType | undefined {
  return startsWith(bytes, PNG_SIGNATURE) ? 'image/png' : startsWith(bytes, JPEG_SIGNATURE) ? 'image/jpeg' : undefined;
}

/**
 * `data:<type>;base64,…` of a PNG or JPEG.
 * @throws PictureFormatError for bytes that are neither.
 */
export function pictureDataUrl(bytes: Uint8Array): string {
  const type = pictureType(bytes);
  if (type === undefined) {
    throw new PictureFormatError('the picture is neither a PNG nor a JPEG');
  }
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return `data:${type};base64,${btoa(binary)}`;
}

/**
 * The bytes of a base64 PNG or JPEG data URL (fragment ignored), checked against
 * the type the URL names.
 * @throws PictureFormatError for anything else.
 */
export function pictureDataUrlBytes(url: string): Uint8Array {
  const bare = url.split('#', 1)[0]!;
  const match = /^data:(image\/png|image\/jpeg);base64,/.exec(bare);
  if (match === null) {
    throw new PictureFormatError('the picture is not a PNG or JPEG data URL');
  }
  let bytes: Uint8Array;
  try {
    bytes = base64urlDecode(bare.slice(match[0].length).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_'));
  } catch {
    throw new PictureFormatError('the picture data URL is not valid base64');
  }
  if (pictureType(bytes) !== match[1]) {
    throw new PictureFormatError(`the picture is not the ${match[1]} its URL names`);
  }
  return bytes;
}

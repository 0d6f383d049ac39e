import { base64urlDecode, type RgbaImage } from '@kez/crypto';
import { decode, encode } from 'fast-png';

// PNG bytes ↔ 8-bit RGBA pixels (fast-png), and PNG data URLs. Pictures reach the app
// from other people's kind 0 events, so decoding refuses what is not a PNG of a sane
// size instead of handing odd shapes on.

/** Largest side accepted when decoding someone's picture, in pixels. */
export const MAX_PICTURE_SIDE = 1024;

/** Thrown for bytes that are not a PNG this app can show. */
export class PictureFormatError extends Error {
  override readonly name = 'PictureFormatError';
}

/**
 * Decodes a PNG (any colour type, 8 or 16 bits, palettes included) to RGBA 8-bit.
 * @throws PictureFormatError for bytes that are not such a PNG, or sides over MAX_PICTURE_SIDE.
 */
export function pngToRgba(bytes: Uint8Array): RgbaImage {
  let png;
  try {
    png = decode(bytes);
  } catch (error) {
    throw new PictureFormatError(`not a PNG picture: ${(error as Error).message}`);
  }
  const { width, height } = png;
  if (width < 1 || height < 1 || width > MAX_PICTURE_SIDE || height > MAX_PICTURE_SIDE) {
    throw new PictureFormatError(`a picture is 1 to ${MAX_PICTURE_SIDE} pixels a side`);
  }
  const count = width * height;
  const out = new Uint8Array(count * 4);
  const shift = png.depth === 16 ? 8 : 0;
  const palette = png.palette;
  for (let i = 0; i < count; i++) {
    let rgba: [number, number, number, number];
    if (palette) {
      const entry = palette[png.data[i]!] ?? [0, 0, 0];
      rgba = [entry[0]!, entry[1]!, entry[2]!, entry[3] ?? 255];
    } else {
      const c = png.channels;
      const at = (k: number): number => (png.data[i * c + k]! >> shift) & 0xff;
      rgba = c === 1 ? [at(0), at(0), at(0), 255] : c === 2 ? [at(0), at(0), at(0), at(1)] : c === 3 ? [at(0), at(1), at(2), 255] : [at(0), at(1), at(2), at(3)];
    }
    out.set(rgba, i * 4);
  }
  return { width, height, data: out };
}

/** Encodes RGBA 8-bit pixels as a PNG. */
export function rgbaToPng(image: RgbaImage): Uint8Array {
  return encode({ width: image.width, height: image.height, data: image.data, channels: 4, depth: 8 });
}

const PNG_DATA_URL = 'data:image/png;base64,';

/** `data:image/png;base64,…` of `bytes`. */
export function pngDataUrl(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return PNG_DATA_URL + btoa(binary);
}

/**
 * The bytes of a PNG data URL (fragment ignored).
 * @throws PictureFormatError when the URL is not a base64 PNG data URL.
 */
export function pngDataUrlBytes(url: string): Uint8Array {
  const bare = url.split('#', 1)[0]!;
  if (!bare.startsWith(PNG_DATA_URL)) {
    throw new PictureFormatError('the picture is not a PNG data URL');
  }
  try {
    const text = bare.slice(PNG_DATA_URL.length).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
    return base64urlDecode(text);
  } catch {
    throw new PictureFormatError('the picture data URL is not valid base64');
  }
}

import { type RgbaImage } from '@kez/crypto';
import { decode, encode } from 'fast-png';

// PNG bytes ↔ 8-bit RGBA pixels (fast-png). Pictures reach the app
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
      rgba =
        c === 1 ? [at(0), at(0), at(0), 255] : c === 2 ? [at(0), at(0), at(0), at(1)] : c === 3 ? [at(0), at(1), at(2), 255] : [at(0), at(1), at(2), at(3)];
    }
    out.set(rgba, i * 4);
  }
  return { width, height, data: out };
}

/**
 * Encodes RGBA 8-bit pixels as a PNG: RGB (colour type 2) when every pixel is
 * opaque, as prepared pictures are, which saves a quarter of a noise picture's
 * bytes (noise does not compress); RGBA otherwise.
 */
export function rgbaToPng(image: RgbaImage): Uint8Array {
  const { width, height, data } = image;
  let opaque = true;
  for (let i = 3; i < data.length && opaque; i += 4) {
    opaque = data[i] === 255;
  }
  if (!opaque) {
    return encode({ width, height, data, channels: 4, depth: 8 });
  }
  const rgb = new Uint8Array((data.length / 4) * 3);
  for (let i = 0, o = 0; i < data.length; i += 4, o += 3) {
    rgb[o] = data[i]!;
    rgb[o + 1] = data[i + 1]!;
    rgb[o + 2] = data[i + 2]!;
  }
  return encode({ width, height, data: rgb, channels: 3, depth: 8 });
}

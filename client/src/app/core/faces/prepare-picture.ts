import { rgbaToPng } from './png-pixels';

// Turns a picked, dropped or pasted image into the picture the app keeps and
// publishes (docs/adr/0010-compact-profile-pictures.md): the centre square, scaled to
// PICTURE_SIDE on a canvas, then
//   - `exact`: that square as a JPEG, what contacts see (sealed for them in the kind 0),
//   - `small`: the square scaled to NOISE_SIDE, as a PNG: the pixels the keyed
//     permutation scrambles into the public noise.
// Only pixels survive the canvas, so EXIF (location, camera, time) and any other
// metadata of the input are gone. Browser only.

export const PICTURE_SIDE = 256;
/** Side of the scrambled picture everyone sees, in pixels: 64 × 64 noise is at most about 12 KB. */
export const NOISE_SIDE = 64;
/** Largest exact copy, in bytes: a photo is about 13 KB at the first step below. */
export const EXACT_MAX_BYTES = 20 * 1024;
/**
 * JPEG encodings tried in order until one fits EXACT_MAX_BYTES; the last (128 px at
 * quality 0.4) fits for any input, even pure noise.
 */
const EXACT_STEPS: readonly { side: number; quality: number }[] = [
  { side: PICTURE_SIDE, quality: 0.85 },
  { side: PICTURE_SIDE, quality: 0.7 },
  { side: PICTURE_SIDE, quality: 0.5 },
  { side: PICTURE_SIDE / 2, quality: 0.4 },
];
/** The colour transparent parts of the input get (CSS colour). */
export const TRANSPARENT_SHOWS_AS = '#ffffff';
/** Larger inputs are refused before decoding: a phone photo is well under this. */
export const MAX_INPUT_BYTES = 20 * 1024 * 1024;

/** A picture ready to keep and publish. */
export interface PreparedPicture {
  /** The JPEG contacts see (PICTURE_SIDE square unless the input was too detailed to fit). */
  readonly exact: Uint8Array;
  /** NOISE_SIDE × NOISE_SIDE opaque PNG: what the permutation scrambles. */
  readonly small: Uint8Array;
}

/** Thrown with a sentence for the user. */
export class PictureInputError extends Error {
  override readonly name = 'PictureInputError';
}

/**
 * @throws PictureInputError for something that is not an image the browser can
 * decode, or larger than MAX_INPUT_BYTES.
 */
export async function preparePicture(file: Blob): Promise<PreparedPicture> {
  if (file.type !== '' && !file.type.startsWith('image/')) {
    throw new PictureInputError('That is not a picture. Choose a PNG, JPEG, WebP or GIF image.');
  }
  if (file.size > MAX_INPUT_BYTES) {
    throw new PictureInputError('That picture is larger than 20 MB. Choose a smaller one.');
  }
  let bitmap: ImageBitmap;
  try {
    // from-image: a phone photo's EXIF rotation is applied before the metadata is dropped.
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch {
    throw new PictureInputError('This picture could not be read. Choose a PNG, JPEG, WebP or GIF image.');
  }
  try {
    return await fromBitmap(bitmap);
  } finally {
    bitmap.close();
  }
}

/**
 * A picture kept or published by an earlier version (a 256×256 PNG), or a plain
 * picture read back from the relays, prepared again as above.
 * @throws PictureInputError when the browser cannot decode the bytes.
 */
export async function compactPicture(bytes: Uint8Array): Promise<PreparedPicture> {
  return preparePicture(new Blob([bytes as Uint8Array<ArrayBuffer>]));
}

function canvas2d(side: number): { canvas: OffscreenCanvas; context: OffscreenCanvasRenderingContext2D } {
  const canvas = new OffscreenCanvas(side, side);
  const context = canvas.getContext('2d');
  if (context === null) {
    throw new PictureInputError('This browser cannot prepare pictures (no canvas).');
  }
  context.imageSmoothingQuality = 'high';
  return { canvas, context };
}

async function fromBitmap(bitmap: ImageBitmap): Promise<PreparedPicture> {
  const side = Math.min(bitmap.width, bitmap.height);
  const square = canvas2d(PICTURE_SIDE);
  // Published pictures are opaque (transparent parts would look different on each
  // theme, and JPEG has no alpha): transparent parts show as white, as on paper.
  square.context.fillStyle = TRANSPARENT_SHOWS_AS;
  square.context.fillRect(0, 0, PICTURE_SIDE, PICTURE_SIDE);
  square.context.drawImage(bitmap, (bitmap.width - side) / 2, (bitmap.height - side) / 2, side, side, 0, 0, PICTURE_SIDE, PICTURE_SIDE);
  const small = canvas2d(NOISE_SIDE);
  small.context.drawImage(square.canvas, 0, 0, NOISE_SIDE, NOISE_SIDE);
  const pixels = small.context.getImageData(0, 0, NOISE_SIDE, NOISE_SIDE);
  return {
    exact: await exactJpeg(square.canvas),
    small: rgbaToPng({ width: NOISE_SIDE, height: NOISE_SIDE, data: new Uint8Array(pixels.data.buffer) }),
  };
}

/** The first EXACT_STEPS encoding of `square` that fits EXACT_MAX_BYTES (else the last one). */
async function exactJpeg(square: OffscreenCanvas): Promise<Uint8Array> {
  let bytes = new Uint8Array();
  for (const { side, quality } of EXACT_STEPS) {
    let source = square;
    if (side !== PICTURE_SIDE) {
      source = canvas2d(side).canvas;
      source.getContext('2d')!.drawImage(square, 0, 0, side, side);
    }
    bytes = new Uint8Array(await (await source.convertToBlob({ type: 'image/jpeg', quality })).arrayBuffer());
    if (bytes.length <= EXACT_MAX_BYTES) {
      break;
    }
  }
  return bytes;
}

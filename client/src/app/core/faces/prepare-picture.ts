import { rgbaToPng } from './png-pixels';

// Turns a picked, dropped or pasted image into the picture the app keeps and
// publishes: the centre square, scaled to PICTURE_SIDE, drawn on a canvas and read
// back as pixels, then encoded as a PNG. Only pixels survive the canvas, so EXIF
// (location, camera, time) and any other metadata of the input are gone. Browser only.

export const PICTURE_SIDE = 256;
/** The colour transparent parts of the input get (CSS colour). */
export const TRANSPARENT_SHOWS_AS = '#ffffff';
/** Larger inputs are refused before decoding: a phone photo is well under this. */
export const MAX_INPUT_BYTES = 20 * 1024 * 1024;

/** Thrown with a sentence for the user. */
export class PictureInputError extends Error {
  override readonly name = 'PictureInputError';
}

/**
 * @throws PictureInputError for something that is not an image the browser can
 * decode, or larger than MAX_INPUT_BYTES.
 */
export async function preparePicture(file: Blob): Promise<Uint8Array> {
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
  const side = Math.min(bitmap.width, bitmap.height);
  const canvas = new OffscreenCanvas(PICTURE_SIDE, PICTURE_SIDE);
  const context = canvas.getContext('2d');
  if (context === null) {
    bitmap.close();
    throw new PictureInputError('This browser cannot prepare pictures (no canvas).');
  }
  // Published pictures are opaque (transparent parts would look different on each
  // theme): transparent parts of the input show as white, as on paper, not as black.
  context.fillStyle = TRANSPARENT_SHOWS_AS;
  context.fillRect(0, 0, PICTURE_SIDE, PICTURE_SIDE);
  context.imageSmoothingQuality = 'high';
  context.drawImage(bitmap, (bitmap.width - side) / 2, (bitmap.height - side) / 2, side, side, 0, 0, PICTURE_SIDE, PICTURE_SIDE);
  bitmap.close();
  const pixels = context.getImageData(0, 0, PICTURE_SIDE, PICTURE_SIDE);
  return rgbaToPng({ width: PICTURE_SIDE, height: PICTURE_SIDE, data: new Uint8Array(pixels.data.buffer) });
}

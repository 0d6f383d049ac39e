import {
  type Identity,
  newVisualSecret,
  openExactPicture,
  openVisualKey,
  readVisualFragment,
  scramblePixels,
  sealExactPicture,
  unscramblePixels,
  type VisualKeys,
  withVisualFragment,
  wrapVisualKey,
} from '@kez/crypto';

import { pngDataUrl, pngDataUrlBytes, pngToRgba, rgbaToPng } from './png-pixels';

// The picture fields of a KEZ kind 0 (docs/protocol.md "Profile pictures"):
//   picture           scrambled: data:image/png;base64,<noise PNG>#kez-visual-v1:<hex salt>
//                     plain (scrambling off): data:image/png;base64,<PNG>
//   kez_visual_keys   { <id>: <wrap> } (only when scrambled)
//   kez_visual_exact  the original PNG, AES-GCM under the picture key (only when scrambled)

/** The user's own picture as this device keeps it. */
export interface OwnPicture {
  /** The prepared 256×256 PNG, no metadata. */
  readonly png: Uint8Array;
  /** Publish scrambled (the default) or plain. */
  readonly scrambled: boolean;
  readonly key: Uint8Array;
  readonly salt: Uint8Array;
}

export interface PictureFields {
  picture: string;
  kez_visual_keys?: VisualKeys;
  kez_visual_exact?: string;
}

/**
 * The kind 0 fields for `own` picture, wrapped for `contacts` (primaries) and for the
 * owner. Plain pictures carry no keys.
 */
export function pictureFields(owner: Identity, own: OwnPicture, contacts: readonly string[]): PictureFields {
  if (!own.scrambled) {
    return { picture: pngDataUrl(own.png) };
  }
  const noise = rgbaToPng(scramblePixels(pngToRgba(own.png), own.key, own.salt));
  return {
    picture: withVisualFragment(pngDataUrl(noise), own.salt),
    kez_visual_keys: wrapVisualKey(owner, own.key, own.salt, contacts),
    kez_visual_exact: sealExactPicture(own.key, own.salt, own.png),
  };
}

/**
 * What a reader sees of a kind 0 picture:
 * - `face`: the picture itself (a plain picture, or a scrambled one whose key was
 *   wrapped for the reader: the exact copy when it opens, else the unscrambled pixels);
 * - `noise`: a scrambled picture without a wrap for the reader, as published;
 * - `none`: no picture, or one that is not a PNG data URL this app shows.
 */
export type SeenPicture = { readonly kind: 'face' | 'noise'; readonly url: string } | { readonly kind: 'none' };

/** See SeenPicture; never throws for bad input from a relay. */
export function seePicture(reader: Identity, publisherPrimary: string, profile: Record<string, unknown>): SeenPicture {
  const picture = profile['picture'];
  if (typeof picture !== 'string') {
    return { kind: 'none' };
  }
  try {
    const { url, salt } = readVisualFragment(picture);
    const bytes = pngDataUrlBytes(url);
    if (salt === undefined) {
      pngToRgba(bytes);
      return { kind: 'face', url };
    }
    const key = openVisualKey(reader, publisherPrimary, salt, profile['kez_visual_keys']);
    if (key === undefined) {
      return { kind: 'noise', url };
    }
    const exact = profile['kez_visual_exact'];
    if (typeof exact === 'string') {
      try {
        const original = openExactPicture(key, salt, exact);
        pngToRgba(original);
        return { kind: 'face', url: pngDataUrl(original) };
      } catch {
        // a broken exact copy: the unscrambled pixels are the same picture
      }
    }
    return { kind: 'face', url: pngDataUrl(rgbaToPng(unscramblePixels(pngToRgba(bytes), key, salt))) };
  } catch {
    return { kind: 'none' };
  }
}

/**
 * The user's own picture as a kind 0 of theirs publishes it, for a fresh device of
 * the same user (restored from the phrase): undefined unless a wrap for the user's
 * own primary opens.
 */
export function ownPublishedPicture(owner: Identity, profile: Record<string, unknown>): OwnPicture | undefined {
  const picture = profile['picture'];
  if (typeof picture !== 'string') {
    return undefined;
  }
  try {
    const { url, salt } = readVisualFragment(picture);
    if (salt === undefined) {
      const png = pngDataUrlBytes(url);
      pngToRgba(png);
      return { png, scrambled: false, ...newVisualSecret() };
    }
    const key = openVisualKey(owner, owner.primary, salt, profile['kez_visual_keys']);
    if (key === undefined) {
      return undefined;
    }
    const exact = profile['kez_visual_exact'];
    const png = typeof exact === 'string' ? openExactPicture(key, salt, exact) : rgbaToPng(unscramblePixels(pngToRgba(pngDataUrlBytes(url)), key, salt));
    pngToRgba(png);
    return { png, scrambled: true, key, salt };
  } catch {
    return undefined;
  }
}

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

import { pictureDataUrl, pictureDataUrlBytes, pictureType } from './picture-data-url';
import { pngToRgba, rgbaToPng } from './png-pixels';

// The picture fields of a KEZ kind 0 (docs/protocol.md "Profile pictures"):
//   picture           scrambled: data:image/png;base64,<64×64 noise PNG>#kez-visual-v1:<hex salt>
//                     plain (scrambling off): data:image/jpeg;base64,<JPEG>
//   kez_visual_keys   { <id>: <wrap> } (only when scrambled)
//   kez_visual_exact  the 256×256 JPEG, AES-GCM under the picture key (only when scrambled)
// Earlier versions published a 256×256 noise PNG and a PNG exact copy (and a plain
// PNG): readers still show those.

/**
 * The size a signed kind 0 with a picture is built to stay under, in bytes of its
 * JSON: strfry's default `maxEventSize`, the smallest limit of the common relay
 * software (docs/adr/0010-compact-profile-pictures.md). Pinned by profile-size.spec.ts
 * for 50 contacts' wraps and the largest picture fields prepare-picture.ts makes.
 */
export const PROFILE_MAX_BYTES = 64 * 1024;

/** The user's own picture as this device keeps it. */
export interface OwnPicture {
  /** What contacts see: the prepared JPEG (prepare-picture.ts), no metadata. */
  readonly exact: Uint8Array;
  /** The NOISE_SIDE PNG the permutation scrambles into the public noise. */
  readonly small: Uint8Array;
  /** Publish scrambled (the default) or plain. */
  readonly scrambled: boolean;
  readonly key: Uint8Array;
  readonly salt: Uint8Array;
}

/**
 * A picture read back from a kind 0 (or kept by an earlier version): `small` is
 * missing, or `exact` is an older PNG, until it is prepared again (needsPreparing).
 */
export type KeptPicture = Omit<OwnPicture, 'small'> & { readonly small?: Uint8Array };

/** True when `kept` lacks the small picture or still holds an earlier version's PNG exact copy. */
export function needsPreparing(kept: KeptPicture): boolean {
  return kept.small === undefined || pictureType(kept.exact) !== 'image/jpeg';
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
    return { picture: pictureDataUrl(own.exact) };
  }
  const noise = rgbaToPng(scramblePixels(pngToRgba(own.small), own.key, own.salt));
  return {
    picture: withVisualFragment(pictureDataUrl(noise), own.salt),
    kez_visual_keys: wrapVisualKey(owner, own.key, own.salt, contacts),
    kez_visual_exact: sealExactPicture(own.key, own.salt, own.exact),
  };
}

/**
 * What a reader sees of a kind 0 picture:
 * - `face`: the picture itself (a plain picture, or a scrambled one whose key was
 *   wrapped for the reader: the exact copy when it opens, else the unscrambled noise,
 *   the same picture at the noise's size);
 * - `noise`: a scrambled picture without a wrap for the reader, as published;
 * - `none`: no picture, or one that is not a PNG or JPEG data URL this app shows
 *   (the noise is always a PNG).
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
    const bytes = pictureDataUrlBytes(url);
    if (salt === undefined) {
      showable(bytes);
      return { kind: 'face', url };
    }
    const noise = pngToRgba(bytes);
    const key = openVisualKey(reader, publisherPrimary, salt, profile['kez_visual_keys']);
    if (key === undefined) {
      return { kind: 'noise', url };
    }
    const exact = profile['kez_visual_exact'];
    if (typeof exact === 'string') {
      try {
        return { kind: 'face', url: pictureDataUrl(showable(openExactPicture(key, salt, exact))) };
      } catch {
        // a broken exact copy: the unscrambled noise is the same picture, smaller
      }
    }
    return { kind: 'face', url: pictureDataUrl(rgbaToPng(unscramblePixels(noise, key, salt))) };
  } catch {
    return { kind: 'none' };
  }
}

/**
 * `bytes` when they are a picture this app shows: a PNG that decodes, or a JPEG
 * (left to the browser to decode: it is shown in an <img>, never parsed here).
 * @throws PictureFormatError otherwise.
 */
function showable(bytes: Uint8Array): Uint8Array {
  if (pictureType(bytes) === 'image/png') {
    pngToRgba(bytes);
  }
  pictureDataUrl(bytes);
  return bytes;
}

/**
 * The user's own picture as a kind 0 of theirs publishes it, for a fresh device of
 * the same user (restored from the phrase): undefined unless the picture is plain
 * or a wrap for the user's own primary opens. `small` is the unscrambled noise; a
 * plain picture, or an earlier version's, comes back without it (needsPreparing).
 */
export function ownPublishedPicture(owner: Identity, profile: Record<string, unknown>): KeptPicture | undefined {
  const picture = profile['picture'];
  if (typeof picture !== 'string') {
    return undefined;
  }
  try {
    const { url, salt } = readVisualFragment(picture);
    const published = showable(pictureDataUrlBytes(url));
    if (salt === undefined) {
      return { exact: published, scrambled: false, ...newVisualSecret() };
    }
    const key = openVisualKey(owner, owner.primary, salt, profile['kez_visual_keys']);
    if (key === undefined) {
      return undefined;
    }
    const small = rgbaToPng(unscramblePixels(pngToRgba(published), key, salt));
    const exact = profile['kez_visual_exact'];
    return { exact: typeof exact === 'string' ? showable(openExactPicture(key, salt, exact)) : small, small, scrambled: true, key, salt };
  } catch {
    return undefined;
  }
}

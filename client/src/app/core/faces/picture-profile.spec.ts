import { deriveIdentity, type Identity, newVisualSecret, readVisualFragment, sealExactPicture, withVisualFragment } from '@kez/crypto';

import { pictureDataUrl, pictureDataUrlBytes } from './picture-data-url';
import { type OwnPicture, ownPublishedPicture, pictureFields, seePicture } from './picture-profile';
import { pngToRgba, rgbaToPng } from './png-pixels';

const person = (byte: number): Identity => deriveIdentity(new Uint8Array(32).fill(byte));

/** A 16×16 opaque picture with a gradient, so scrambling visibly moves pixels. */
function samplePng(): Uint8Array {
  const data = new Uint8Array(16 * 16 * 4);
  for (let i = 0; i < 256; i++) {
    data.set([i, 255 - i, (i * 5) % 256, 255], i * 4);
  }
  return rgbaToPng({ width: 16, height: 16, data });
}

/** A JPEG's signature and some bytes: the app never decodes a JPEG itself (the <img> does). */
const JPEG = Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70, 73, 70, 0);

function pixelsOf(url: string): Uint8Array {
  return pngToRgba(pictureDataUrlBytes(url)).data;
}

describe('picture fields of the kind 0', () => {
  const alice = person(1);
  const bob = person(2);
  const carol = person(3);
  const own: OwnPicture = { exact: JPEG, small: samplePng(), scrambled: true, ...newVisualSecret() };

  it('publishes the small picture as noise (an RGB PNG) with the salt in the fragment; a contact sees the exact JPEG, a stranger the noise', () => {
    const fields = pictureFields(alice, own, [bob.primary]);
    expect(fields.picture).toMatch(/^data:image\/png;base64,[A-Za-z0-9+/=]+#kez-visual-v1:[0-9a-f]{32}$/);
    expect(readVisualFragment(fields.picture).salt).toEqual(own.salt);
    // Colour type 2 (RGB): an opaque picture needs no alpha channel.
    expect(pictureDataUrlBytes(fields.picture)[25]).toBe(2);
    const original = pngToRgba(own.small).data;
    expect(pixelsOf(fields.picture)).not.toEqual(original);

    expect(seePicture(bob, alice.primary, { ...fields })).toEqual({ kind: 'face', url: pictureDataUrl(JPEG) });
    expect(pictureDataUrl(JPEG)).toMatch(/^data:image\/jpeg;base64,/);

    const carolSees = seePicture(carol, alice.primary, { ...fields });
    expect(carolSees).toEqual({ kind: 'noise', url: readVisualFragment(fields.picture).url });
  });

  it('without the exact copy, a contact gets the unscrambled noise (the small picture)', () => {
    const { kez_visual_exact: _exact, ...fields } = pictureFields(alice, own, [bob.primary]);
    const seen = seePicture(bob, alice.primary, fields);
    expect(seen.kind).toBe('face');
    expect(pixelsOf((seen as { url: string }).url)).toEqual(pngToRgba(own.small).data);
  });

  it('still reads an earlier version’s kind 0: a PNG exact copy, and a plain PNG', () => {
    const { key, salt } = own;
    const earlier = {
      picture: withVisualFragment(pictureDataUrl(samplePng()), salt),
      kez_visual_keys: pictureFields(alice, own, [bob.primary]).kez_visual_keys,
      kez_visual_exact: sealExactPicture(key, salt, samplePng()),
    };
    expect(seePicture(bob, alice.primary, earlier)).toEqual({ kind: 'face', url: pictureDataUrl(samplePng()) });
    expect(seePicture(carol, alice.primary, { picture: pictureDataUrl(samplePng()) })).toEqual({ kind: 'face', url: pictureDataUrl(samplePng()) });
  });

  it('a plain picture is everyone’s face (the JPEG) and carries no keys', () => {
    const fields = pictureFields(alice, { ...own, scrambled: false }, [bob.primary]);
    expect(fields.kez_visual_keys).toBeUndefined();
    expect(fields.kez_visual_exact).toBeUndefined();
    expect(seePicture(carol, alice.primary, { ...fields })).toEqual({ kind: 'face', url: pictureDataUrl(JPEG) });
  });

  it('bad pictures from a relay are no picture, never an exception', () => {
    expect(seePicture(bob, alice.primary, {})).toEqual({ kind: 'none' });
    expect(seePicture(bob, alice.primary, { picture: 'https://example.org/a.jpg' })).toEqual({ kind: 'none' });
    expect(seePicture(bob, alice.primary, { picture: 'data:image/png;base64,AAAA' })).toEqual({ kind: 'none' });
    // A type the bytes do not match, and noise that is not a PNG.
    expect(seePicture(bob, alice.primary, { picture: pictureDataUrl(JPEG).replace('image/jpeg', 'image/png') })).toEqual({ kind: 'none' });
    expect(
      seePicture(bob, alice.primary, { ...pictureFields(alice, own, [bob.primary]), picture: withVisualFragment(pictureDataUrl(JPEG), own.salt) }),
    ).toEqual({ kind: 'none' });
    expect(seePicture(bob, alice.primary, { picture: 42 })).toEqual({ kind: 'none' });
  });

  it('a fresh device of the owner reads its own picture back, key and all', () => {
    const fields = pictureFields(alice, own, [bob.primary]);
    const restored = ownPublishedPicture(deriveIdentity(alice.seed), { ...fields });
    expect(restored).toEqual({ exact: JPEG, small: own.small, scrambled: true, key: own.key, salt: own.salt });
    expect(ownPublishedPicture(bob, { ...fields })).toBeUndefined();
    // A plain picture comes back without the small one (prepared again by OwnFace.adopt).
    expect(ownPublishedPicture(alice, { picture: pictureDataUrl(JPEG) })).toMatchObject({ exact: JPEG, scrambled: false });
  });
});

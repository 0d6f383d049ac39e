import { deriveIdentity, type Identity, newVisualSecret, readVisualFragment } from '@kez/crypto';

import { pngDataUrlBytes, pngToRgba, rgbaToPng } from './png-pixels';
import { type OwnPicture, ownPublishedPicture, pictureFields, seePicture } from './picture-profile';

const person = (byte: number): Identity => deriveIdentity(new Uint8Array(32).fill(byte));

/** A 16×16 picture with a gradient, so scrambling visibly moves pixels. */
function samplePng(): Uint8Array {
  const data = new Uint8Array(16 * 16 * 4);
  for (let i = 0; i < 256; i++) {
    data.set([i, 255 - i, (i * 5) % 256, 255], i * 4);
  }
  return rgbaToPng({ width: 16, height: 16, data });
}

function pixelsOf(url: string): Uint8Array {
  return pngToRgba(pngDataUrlBytes(url)).data;
}

describe('picture fields of the kind 0', () => {
  const alice = person(1);
  const bob = person(2);
  const carol = person(3);
  const own: OwnPicture = { png: samplePng(), scrambled: true, ...newVisualSecret() };

  it('publishes noise with the salt in the fragment; a contact sees the face, a stranger the noise', () => {
    const fields = pictureFields(alice, own, [bob.primary]);
    expect(fields.picture).toMatch(/^data:image\/png;base64,[A-Za-z0-9+/=]+#kez-visual-v1:[0-9a-f]{32}$/);
    expect(readVisualFragment(fields.picture).salt).toEqual(own.salt);
    const original = pngToRgba(own.png).data;
    expect(pixelsOf(fields.picture)).not.toEqual(original);

    const bobSees = seePicture(bob, alice.primary, { ...fields });
    expect(bobSees.kind).toBe('face');
    expect(pixelsOf((bobSees as { url: string }).url)).toEqual(original);

    const carolSees = seePicture(carol, alice.primary, { ...fields });
    expect(carolSees).toEqual({ kind: 'noise', url: readVisualFragment(fields.picture).url });
  });

  it('without the exact copy, a contact gets the unscrambled pixels', () => {
    const { kez_visual_exact: _exact, ...fields } = pictureFields(alice, own, [bob.primary]);
    const seen = seePicture(bob, alice.primary, fields);
    expect(seen.kind).toBe('face');
    expect(pixelsOf((seen as { url: string }).url)).toEqual(pngToRgba(own.png).data);
  });

  it('a plain picture is everyone’s face and carries no keys', () => {
    const fields = pictureFields(alice, { ...own, scrambled: false }, [bob.primary]);
    expect(fields.kez_visual_keys).toBeUndefined();
    expect(fields.kez_visual_exact).toBeUndefined();
    expect(seePicture(carol, alice.primary, { ...fields }).kind).toBe('face');
  });

  it('bad pictures from a relay are no picture, never an exception', () => {
    expect(seePicture(bob, alice.primary, {})).toEqual({ kind: 'none' });
    expect(seePicture(bob, alice.primary, { picture: 'https://example.org/a.jpg' })).toEqual({ kind: 'none' });
    expect(seePicture(bob, alice.primary, { picture: 'data:image/png;base64,AAAA' })).toEqual({ kind: 'none' });
    expect(seePicture(bob, alice.primary, { picture: 42 })).toEqual({ kind: 'none' });
  });

  it('a fresh device of the owner reads its own picture back, key and all', () => {
    const fields = pictureFields(alice, own, [bob.primary]);
    const restored = ownPublishedPicture(deriveIdentity(alice.seed), { ...fields });
    expect(restored).toEqual({ png: own.png, scrambled: true, key: own.key, salt: own.salt });
    expect(ownPublishedPicture(bob, { ...fields })).toBeUndefined();
  });
});

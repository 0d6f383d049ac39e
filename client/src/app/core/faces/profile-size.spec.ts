import { deriveIdentity, newVisualSecret, randomBytes } from '@kez/crypto';
import { profileTemplate } from '@kez/nostr';
import { finalizeEvent } from 'nostr-tools/pure';

import { buildProfile } from '../nostr/own-lists';
import { pictureFields, PROFILE_MAX_BYTES } from './picture-profile';
import { rgbaToPng } from './png-pixels';
import { EXACT_MAX_BYTES, NOISE_SIDE } from './prepare-picture';

// The size bound of docs/adr/0010-compact-profile-pictures.md: a signed kind 0 with a
// picture and 50 contacts' wraps stays under PROFILE_MAX_BYTES (strfry's default
// maxEventSize). The picture fields are the largest prepare-picture.ts can make, so
// the bound holds for any photo: the small picture is random pixels (noise does not
// compress at all), the exact copy EXACT_MAX_BYTES long (its sealed size depends on
// the length only).

const CONTACTS = 50;

/** The signed kind 0, as ProfilePublisher sends it, in bytes of JSON. */
function signedKind0Bytes(contacts: number): number {
  const owner = deriveIdentity(new Uint8Array(32).fill(1));
  const peers = Array.from({ length: contacts }, (_, i) => deriveIdentity(new Uint8Array(32).fill(i + 2)).primary);
  const small = randomBytes(NOISE_SIDE * NOISE_SIDE * 4).map((byte, i) => (i % 4 === 3 ? 255 : byte));
  const exact = new Uint8Array(EXACT_MAX_BYTES);
  exact.set([0xff, 0xd8, 0xff, 0xe0]);
  exact.set(randomBytes(EXACT_MAX_BYTES - 4), 4);
  const fields = pictureFields(
    owner,
    { exact, small: rgbaToPng({ width: NOISE_SIDE, height: NOISE_SIDE, data: small }), scrambled: true, ...newVisualSecret() },
    peers,
  );
  // The longest handle (HANDLE_PATTERN: 32 characters) on a long server name.
  const profile = buildProfile({ handle: 'h'.repeat(32), server: `${'s'.repeat(56)}.example` }, { ...fields });
  const event = finalizeEvent(profileTemplate(profile, 1_700_000_000), owner.nostrSecret);
  return new TextEncoder().encode(JSON.stringify(event)).length;
}

describe('the size of a kind 0 with a picture', () => {
  it(`stays under ${PROFILE_MAX_BYTES} bytes with the largest picture fields and ${CONTACTS} contacts`, () => {
    expect(signedKind0Bytes(CONTACTS)).toBeLessThanOrEqual(PROFILE_MAX_BYTES);
  });
});

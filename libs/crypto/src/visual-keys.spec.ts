import { equalBytes } from './encoding';
import { deriveIdentity, type Identity } from './identity';
import { openExactPicture, openVisualKey, sealExactPicture, VISUAL_KEYS_PADDING, visualKeyId, wrapVisualKey } from './visual-keys';
import { newVisualSecret } from './visual-scramble';

const person = (byte: number): Identity => deriveIdentity(new Uint8Array(32).fill(byte));

describe('visual key wraps (kez_visual_keys)', () => {
  const alice = person(1);
  const bob = person(2);
  const carol = person(3);
  const dave = person(4);

  it('opens for each recipient and for the owner, never for anyone else', () => {
    const { key, salt } = newVisualSecret();
    const keys = wrapVisualKey(alice, key, salt, [bob.primary, dave.primary]);
    expect(openVisualKey(bob, alice.primary, salt, keys)).toEqual(key);
    expect(openVisualKey(dave, alice.primary, salt, keys)).toEqual(key);
    // A fresh device of alice: the same identity from the same phrase.
    expect(openVisualKey(deriveIdentity(alice.seed), alice.primary, salt, keys)).toEqual(key);
    expect(openVisualKey(carol, alice.primary, salt, keys)).toBeUndefined();
  });

  it('a recipient cannot open a wrap that is not theirs, even when it is moved under their id', () => {
    const { key, salt } = newVisualSecret();
    const keys = wrapVisualKey(alice, key, salt, [bob.primary]);
    const bobsWrap = keys[visualKeyId(bob, alice.primary, salt)]!;
    const forged = { ...keys, [visualKeyId(carol, alice.primary, salt)]: bobsWrap };
    expect(openVisualKey(carol, alice.primary, salt, forged)).toBeUndefined();
  });

  it('ids are symmetric for the pair, differ per pair and per salt, and the map is padded', () => {
    const { key, salt } = newVisualSecret();
    expect(visualKeyId(alice, bob.primary, salt)).toBe(visualKeyId(bob, alice.primary, salt));
    expect(visualKeyId(alice, bob.primary, salt)).not.toBe(visualKeyId(alice, carol.primary, salt));
    expect(visualKeyId(alice, bob.primary, salt)).not.toBe(visualKeyId(alice, bob.primary, newVisualSecret().salt));
    const keys = wrapVisualKey(alice, key, salt, [bob.primary]);
    expect(Object.keys(keys)).toHaveLength(VISUAL_KEYS_PADDING);
    const lengths = new Set(Object.values(keys).map((wrap) => wrap.length));
    expect(lengths.size).toBe(1);
    expect(Object.keys(keys)).toEqual([...Object.keys(keys)].sort());
  });

  it('rotation: after removing a contact, the new key is not theirs and the old key opens nothing new', () => {
    const first = newVisualSecret();
    const before = wrapVisualKey(alice, first.key, first.salt, [bob.primary, carol.primary]);
    expect(openVisualKey(carol, alice.primary, first.salt, before)).toEqual(first.key);
    const rotated = newVisualSecret();
    const after = wrapVisualKey(alice, rotated.key, rotated.salt, [bob.primary]);
    expect(openVisualKey(carol, alice.primary, rotated.salt, after)).toBeUndefined();
    expect(openVisualKey(bob, alice.primary, rotated.salt, after)).toEqual(rotated.key);
    expect(equalBytes(first.key, rotated.key)).toBe(false);
    const exact = sealExactPicture(rotated.key, rotated.salt, new Uint8Array([1, 2, 3]));
    expect(() => openExactPicture(first.key, rotated.salt, exact)).toThrow(expect.objectContaining({ code: 'decrypt_failed' }));
  });

  it('ignores malformed maps and wraps', () => {
    const { salt } = newVisualSecret();
    expect(openVisualKey(bob, alice.primary, salt, null)).toBeUndefined();
    expect(openVisualKey(bob, alice.primary, salt, ['x'])).toBeUndefined();
    expect(openVisualKey(bob, alice.primary, salt, { [visualKeyId(bob, alice.primary, salt)]: 'not base64!' })).toBeUndefined();
    expect(openVisualKey(bob, alice.primary, salt, { [visualKeyId(bob, alice.primary, salt)]: 'AAAA' })).toBeUndefined();
  });

  it('the exact copy opens with the picture key only', () => {
    const { key, salt } = newVisualSecret();
    const png = new Uint8Array([137, 80, 78, 71, 1, 2, 3]);
    const sealed = sealExactPicture(key, salt, png);
    expect(openExactPicture(key, salt, sealed)).toEqual(png);
    expect(() => openExactPicture(newVisualSecret().key, salt, sealed)).toThrow(expect.objectContaining({ code: 'decrypt_failed' }));
  });
});

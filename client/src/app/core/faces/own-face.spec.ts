import { deriveIdentity, type Identity, openVisualKey, readVisualFragment } from '@kez/crypto';

import { MemoryStore } from '../storage/memory-store';
import { put } from '../storage/store';
import { FakeTimers } from '../testing/fake-timers';
import { OwnFace, PUBLISH_DELAY_MS } from './own-face';
import type { PictureFields } from './picture-profile';
import { rgbaToPng } from './png-pixels';
import type { PreparedPicture } from './prepare-picture';

const person = (byte: number): Identity => deriveIdentity(new Uint8Array(32).fill(byte));
/** A JPEG's signature and a few bytes: OwnFace never decodes the exact copy. */
const jpeg = (fill: number): Uint8Array => Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, fill, fill, fill);
const small = rgbaToPng({ width: 2, height: 2, data: new Uint8Array(16).fill(200) });
const picture: PreparedPicture = { exact: jpeg(1), small };
/** What the canvas would make of older bytes: a recognisable JPEG and the same small picture. */
const prepareAgain = async (): Promise<PreparedPicture> => ({ exact: jpeg(9), small });

function setup() {
  const alice = person(1);
  const store = new MemoryStore();
  const timers = new FakeTimers();
  const published: (PictureFields | undefined)[] = [];
  let accept = true;
  const face = new OwnFace(
    store,
    alice,
    async (fields) => {
      published.push(fields);
      return accept ? { ok: true, message: 'ok' } : { ok: false, message: 'no relay' };
    },
    prepareAgain,
    timers,
  );
  return { alice, store, timers, published, face, refuse: () => (accept = false) };
}

const salt = (fields: PictureFields | undefined): Uint8Array => readVisualFragment(fields!.picture).salt!;

describe('OwnFace', () => {
  const bob = person(2);
  const carol = person(3);

  it('publishes a new picture at once, scrambled by default', async () => {
    const { face, published, alice } = setup();
    await face.setPicture(picture);
    expect(published).toHaveLength(1);
    expect(published[0]!.picture).toContain('#kez-visual-v1:');
    expect(openVisualKey(alice, alice.primary, salt(published[0]), published[0]!.kez_visual_keys)).toEqual(face.picture!.key);
  });

  it('shows a new picture, a switch of scrambling and a removed picture at once, before the relays answer', async () => {
    const alice = person(1);
    const answers: ((result: { ok: boolean; message: string }) => void)[] = [];
    // Relays that never answer until told to.
    const face = new OwnFace(new MemoryStore(), alice, () => new Promise((resolve) => answers.push(resolve)), prepareAgain, new FakeTimers());
    const seen: (boolean | undefined)[] = [];
    face.onChange(() => seen.push(face.picture?.scrambled));
    const settle = async () => {
      await new Promise((resolve) => setTimeout(resolve, 0));
      answers.shift()!({ ok: true, message: 'ok' });
    };

    const setting = face.setPicture(picture);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(answers).toHaveLength(1);
    expect(seen).toEqual([true]);
    expect(face.picture?.exact).toEqual(picture.exact);
    await settle();
    await setting;

    const plain = face.setScrambled(false);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(seen.at(-1)).toBe(false);
    await settle();
    await plain;

    const clearing = face.clearPicture();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(seen.at(-1)).toBeUndefined();
    expect(face.picture).toBeUndefined();
    await settle();
    await clearing;
  });

  it('batches new contacts into one publish after the delay', async () => {
    const { face, published, timers } = setup();
    await face.setPicture(picture);
    await face.addContacts([bob.primary]);
    await face.addContacts([bob.primary, carol.primary]);
    expect(published).toHaveLength(1);
    expect(timers.delays()).toEqual([PUBLISH_DELAY_MS]);
    timers.advance(PUBLISH_DELAY_MS);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(published).toHaveLength(2);
    const last = published[1];
    expect(openVisualKey(bob, person(1).primary, salt(last), last!.kez_visual_keys)).toEqual(face.picture!.key);
    expect(openVisualKey(carol, person(1).primary, salt(last), last!.kez_visual_keys)).toEqual(face.picture!.key);
  });

  it('removing a contact rotates the key: the new kind 0 opens for the others only', async () => {
    const { face, published, alice } = setup();
    await face.setPicture(picture);
    await face.addContacts([bob.primary, carol.primary]);
    const before = face.picture!;
    await face.removeContact(carol.primary);
    const after = published.at(-1);
    expect(face.picture!.key).not.toEqual(before.key);
    expect(salt(after)).not.toEqual(before.salt);
    expect(openVisualKey(carol, alice.primary, salt(after), after!.kez_visual_keys)).toBeUndefined();
    expect(openVisualKey(bob, alice.primary, salt(after), after!.kez_visual_keys)).toEqual(face.picture!.key);
    // Writing to carol again does not bring her back: only restoreContact does.
    await face.addContacts([carol.primary]);
    expect(face.contacts).toEqual([bob.primary]);
    await face.restoreContact(carol.primary);
    await face.addContacts([carol.primary]);
    expect(face.contacts).toEqual([bob.primary, carol.primary]);
  });

  it('letting a removed contact see again lists them at once and wraps for them at the next batched publish', async () => {
    const { face, published, timers, alice } = setup();
    await face.setPicture(picture);
    await face.addContacts([carol.primary]);
    await face.removeContact(carol.primary);
    const count = published.length;
    // No new message from carol is needed: "Let see again" alone brings her back.
    await face.restoreContact(carol.primary);
    expect(face.contacts).toEqual([carol.primary]);
    expect(face.removed).toEqual([]);
    expect(published).toHaveLength(count);
    timers.advance(PUBLISH_DELAY_MS);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(published).toHaveLength(count + 1);
    const last = published.at(-1);
    expect(openVisualKey(carol, alice.primary, salt(last), last!.kez_visual_keys)).toEqual(face.picture!.key);
    // Restoring someone who was never removed changes nothing.
    await face.restoreContact(bob.primary);
    expect(face.contacts).toEqual([carol.primary]);
  });

  it('keeps the picture and a pending change across restarts, and publishes it then', async () => {
    const first = setup();
    await first.face.setPicture(picture);
    first.refuse();
    await first.face.addContacts([bob.primary]);
    first.timers.advance(PUBLISH_DELAY_MS);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(first.face.lastResult).toEqual({ ok: false, message: 'no relay' });

    const published: (PictureFields | undefined)[] = [];
    const timers = new FakeTimers();
    const again = new OwnFace(first.store, first.alice, async (fields) => (published.push(fields), { ok: true, message: 'ok' }), prepareAgain, timers);
    await again.load();
    expect(again.picture?.exact).toEqual(picture.exact);
    timers.advance(PUBLISH_DELAY_MS);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(published).toHaveLength(1);
    expect(openVisualKey(bob, first.alice.primary, salt(published[0]), published[0]!.kez_visual_keys)).toBeDefined();
  });

  it('turning scrambling off publishes the plain picture; clearing publishes none', async () => {
    const { face, published } = setup();
    await face.setPicture(picture);
    await face.setScrambled(false);
    expect(published.at(-1)!.picture).not.toContain('#');
    expect(published.at(-1)!.kez_visual_keys).toBeUndefined();
    await face.clearPicture();
    expect(published.at(-1)).toBeUndefined();
  });

  it('in two tabs: a removal made in one is never undone or published around by the other, and only the leading tab runs batched publishes', async () => {
    const leader = setup();
    await leader.face.setPicture(picture);
    await leader.face.addContacts([bob.primary]);
    const published: (PictureFields | undefined)[] = [];
    const timers = new FakeTimers();
    const follower = new OwnFace(
      leader.store,
      leader.alice,
      async (fields) => (published.push(fields), { ok: true, message: 'ok' }),
      prepareAgain,
      timers,
      () => false,
    );
    const stored: number[] = [];
    leader.face.onStored(() => stored.push(1));
    await follower.load();
    expect(follower.contacts).toEqual([bob.primary]);

    // The first tab takes bob out (a new key); the second, which read the state before, sees carol write.
    await leader.face.removeContact(bob.primary);
    expect(stored.length).toBeGreaterThan(0);
    await follower.addContacts([bob.primary, carol.primary]);
    expect(follower.contacts).toEqual([carol.primary]);
    expect(follower.removed).toEqual([bob.primary]);
    timers.advance(PUBLISH_DELAY_MS);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(published).toEqual([]);

    // Anything the second tab publishes carries the first tab's new key, and no wrap for bob.
    await follower.publishNow();
    const fields = published.at(-1)!;
    expect(salt(fields)).toEqual(leader.face.picture!.salt);
    expect(openVisualKey(leader.alice, leader.alice.primary, salt(fields), fields.kez_visual_keys)).toEqual(leader.face.picture!.key);
    expect(openVisualKey(bob, leader.alice.primary, salt(fields), fields.kez_visual_keys)).toBeUndefined();
    expect(openVisualKey(carol, leader.alice.primary, salt(fields), fields.kez_visual_keys)).toBeDefined();
  });

  it("reads another tab's change again for the screens when told to", async () => {
    const first = setup();
    const second = new OwnFace(
      first.store,
      first.alice,
      async () => ({ ok: true, message: 'ok' }),
      prepareAgain,
      new FakeTimers(),
      () => false,
    );
    await second.load();
    const seen: boolean[] = [];
    second.onChange(() => seen.push(second.picture !== undefined));
    await first.face.setPicture(picture);
    await second.reload();
    expect(seen).toEqual([true]);
    expect(second.picture?.exact).toEqual(picture.exact);
  });

  it('prepares a picture kept by an earlier version (a whole PNG) again at load, same key, and republishes it', async () => {
    const first = setup();
    const key = new Uint8Array(32).fill(4);
    const pictureSalt = new Uint8Array(16).fill(5);
    await put(first.store, 'private', 'faces.own', { png: small, scrambled: true, key, salt: pictureSalt });
    await first.face.load();
    expect(first.face.picture).toEqual({ exact: jpeg(9), small, scrambled: true, key, salt: pictureSalt });
    first.timers.advance(PUBLISH_DELAY_MS);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(first.published).toHaveLength(1);
    expect(salt(first.published[0])).toEqual(pictureSalt);
  });

  it('prepares an adopted picture that lacks the small picture (a plain one) before keeping it', async () => {
    const { face } = setup();
    await face.adopt({ exact: jpeg(3), scrambled: false, key: new Uint8Array(32), salt: new Uint8Array(16) });
    expect(face.picture?.exact).toEqual(jpeg(9));
    expect(face.picture?.small).toEqual(small);
  });

  it('holds nothing the store refused: a refused switch to plain or removal changes no later publish', async () => {
    const { face, store, published, alice } = setup();
    await face.setPicture(picture);
    await face.addContacts([bob.primary]);
    const write = store.write.bind(store);
    store.write = () => Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
    await expect(face.setScrambled(false)).rejects.toThrow('quota');
    await expect(face.removeContact(bob.primary)).rejects.toThrow('quota');
    expect(face.picture?.scrambled).toBe(true);
    expect(face.contacts).toEqual([bob.primary]);
    store.write = write;
    await face.publishNow();
    const fields = published.at(-1)!;
    expect(fields.picture).toContain('#kez-visual-v1:');
    expect(openVisualKey(bob, alice.primary, salt(fields), fields.kez_visual_keys)).toEqual(face.picture!.key);
  });
});

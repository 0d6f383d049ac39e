import * as nip17 from 'nostr-tools/nip17';
import * as nip59 from 'nostr-tools/nip59';
import { finalizeEvent, generateSecretKey, getPublicKey } from 'nostr-tools/pure';

import { NostrError } from './errors';
import { directMessageId, DM_TEXT_MAX_BYTES, unwrapDirectMessage, wrapDirectMessage } from './nip17';

const alice = generateSecretKey();
const bob = generateSecretKey();
const ALICE = getPublicKey(alice);
const BOB = getPublicKey(bob);

function code(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    return error instanceof NostrError ? error.code : `not a NostrError: ${String(error)}`;
  }
  return undefined;
}

describe(wrapDirectMessage.name, () => {
  it('makes gift wraps that another nostr app (nostr-tools) opens', () => {
    const { forRecipient, forSelf } = wrapDirectMessage(alice, BOB, 'hi bob');
    expect(forRecipient.kind).toBe(1059);
    expect(forRecipient.tags).toEqual([['p', BOB]]);
    expect(forSelf.tags).toEqual([['p', ALICE]]);
    const rumor = nip17.unwrapEvent(forRecipient, bob);
    expect(rumor).toMatchObject({ kind: 14, pubkey: ALICE, content: 'hi bob', tags: [['p', BOB]] });
    expect(forRecipient.pubkey).not.toBe(ALICE);
  });

  it('gives the copy to self the same rumor, naming the peer', () => {
    const { forRecipient, forSelf } = wrapDirectMessage(alice, BOB, 'same');
    const mine = unwrapDirectMessage(forSelf, alice);
    expect(mine).toMatchObject({ from: ALICE, to: [BOB], text: 'same' });
    expect(mine.id).toBe(unwrapDirectMessage(forRecipient, bob).id);
  });

  it('dates the rumor when asked, so its id is known before sending', () => {
    const { forRecipient } = wrapDirectMessage(alice, BOB, 'known id', 1_764_000_000);
    const opened = unwrapDirectMessage(forRecipient, bob);
    expect(opened.createdAt).toBe(1_764_000_000);
    expect(opened.id).toBe(directMessageId(ALICE, BOB, 'known id', 1_764_000_000));
    // The wrap's own time stays randomised (NIP-59), never the rumor's.
    expect(forRecipient.created_at).not.toBe(1_764_000_000);
  });

  it('refuses an empty text and one over the limit', () => {
    expect(code(() => wrapDirectMessage(alice, BOB, ''))).toBe('malformed');
    expect(code(() => wrapDirectMessage(alice, BOB, 'é'.repeat(DM_TEXT_MAX_BYTES / 2 + 1)))).toBe('malformed');
    expect(() => wrapDirectMessage(alice, BOB, 'x'.repeat(DM_TEXT_MAX_BYTES))).not.toThrow();
  });
});

describe(unwrapDirectMessage.name, () => {
  it('reads a NIP-17 message written by nostr-tools', () => {
    const wrap = nip17.wrapEvent(bob, { publicKey: ALICE }, 'hello from another app');
    expect(unwrapDirectMessage(wrap, alice)).toMatchObject({ from: BOB, to: [ALICE], text: 'hello from another app' });
  });

  it('refuses a wrap for someone else, a forged outer signature and a non-wrap', () => {
    const wrap = nip17.wrapEvent(bob, { publicKey: ALICE }, 'not for carol');
    expect(code(() => unwrapDirectMessage(wrap, generateSecretKey()))).toBe('decrypt_failed');
    expect(code(() => unwrapDirectMessage({ ...wrap, content: wrap.content.slice(0, -4) + 'AAAA' }, alice))).toBe('bad_signature');
    expect(code(() => unwrapDirectMessage(finalizeEvent({ kind: 1, created_at: 1, tags: [], content: '' }, bob), alice))).toBe('wrong_kind');
    expect(code(() => unwrapDirectMessage({ kind: 1059 }, alice))).toBe('malformed');
  });

  it('refuses a rumor whose author is not the seal signer (impersonation)', () => {
    const rumor = nip59.createRumor({ kind: 14, content: 'I am bob', tags: [['p', ALICE]] }, bob);
    const mallory = generateSecretKey();
    const seal = nip59.createSeal(rumor, mallory, ALICE);
    expect(code(() => unwrapDirectMessage(nip59.createWrap(seal, ALICE), alice))).toBe('decrypt_failed');
  });

  it('refuses another kind inside and a message that does not name the reader', () => {
    const reaction = nip59.wrapEvent({ kind: 7, content: '+', tags: [['p', ALICE]] }, bob, ALICE);
    expect(code(() => unwrapDirectMessage(reaction, alice))).toBe('wrong_kind');
    const carol = getPublicKey(generateSecretKey());
    const misaddressed = nip59.createWrap(nip59.createSeal(nip59.createRumor({ kind: 14, content: 'x', tags: [['p', carol]] }, bob), bob, ALICE), ALICE);
    expect(code(() => unwrapDirectMessage(misaddressed, alice))).toBe('wrong_recipient');
  });
});

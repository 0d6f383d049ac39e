import { finalizeEvent, generateSecretKey, getPublicKey } from 'nostr-tools/pure';

import { admit, expirationOf, KIND_GIFT_WRAP, recipientOf, scopeFilters } from './inbox-policy';

const now = 1_764_000_000;
const me = getPublicKey(generateSecretKey());
const other = getPublicKey(generateSecretKey());
const event = (kind: number, tags: string[][] = [], createdAt = now) => finalizeEvent({ kind, created_at: createdAt, tags, content: '' }, generateSecretKey());

describe('admit', () => {
  it('takes gift wraps by p and KEZ DMs and receipts by q, naming the recipient', () => {
    expect(admit(event(KIND_GIFT_WRAP, [['p', me]]), now)).toEqual({ type: 'private', recipient: me });
    expect(admit(event(4243, [['q', me]]), now)).toEqual({ type: 'private', recipient: me });
    expect(admit(event(4244, [['q', me]]), now)).toEqual({ type: 'private', recipient: me });
  });

  it('refuses a private kind without its routing tag, and every other kind, with blocked:', () => {
    expect(admit(event(KIND_GIFT_WRAP, [['q', me]]), now)).toMatchObject({ type: 'refused', message: expect.stringMatching(/^blocked:/) });
    expect(admit(event(4243, [['p', me]]), now)).toMatchObject({ type: 'refused', message: expect.stringMatching(/^blocked:/) });
    for (const kind of [1, 4, 7, 14, 22242, 30023]) {
      expect(admit(event(kind), now)).toMatchObject({ type: 'refused', message: expect.stringMatching(/^blocked:/) });
    }
  });

  it("takes a user's own kinds 0, 10002, 10050 and deletions as the author's", () => {
    for (const kind of [0, 5, 10002, 10050]) {
      const e = event(kind);
      expect(admit(e, now)).toEqual({ type: 'own', author: e.pubkey });
    }
  });

  it('refuses an event whose NIP-40 expiration has passed', () => {
    expect(
      admit(
        event(KIND_GIFT_WRAP, [
          ['p', me],
          ['expiration', String(now)],
        ]),
        now,
      ),
    ).toMatchObject({ message: expect.stringMatching(/^invalid: .*expired/) });
    expect(
      admit(
        event(KIND_GIFT_WRAP, [
          ['p', me],
          ['expiration', String(now + 1)],
        ]),
        now,
      ).type,
    ).toBe('private');
  });

  it('refuses events dated more than 15 minutes ahead, and takes backdated gift wraps', () => {
    expect(admit(event(KIND_GIFT_WRAP, [['p', me]], now + 16 * 60), now)).toMatchObject({ type: 'refused', message: expect.stringMatching(/^invalid:/) });
    expect(admit(event(KIND_GIFT_WRAP, [['p', me]], now - 2 * 86_400), now).type).toBe('private');
  });
});

describe('recipientOf and expirationOf', () => {
  it('read the first routing tag holding a key, and the NIP-40 tag', () => {
    expect(
      recipientOf({
        kind: KIND_GIFT_WRAP,
        tags: [
          ['p', 'nope'],
          ['p', me],
          ['p', other],
        ],
      }),
    ).toBe(me);
    expect(recipientOf({ kind: 1, tags: [['p', me]] })).toBeUndefined();
    expect(expirationOf({ tags: [['expiration', '1764000100']] })).toBe(1_764_000_100);
    expect(expirationOf({ tags: [['expiration', 'soon']] })).toBeNull();
    expect(expirationOf({ tags: [] })).toBeNull();
  });
});

describe('scopeFilters', () => {
  it('serves public kinds to anyone and drops kinds the relay never stores', () => {
    expect(scopeFilters([{ authors: [other] }], undefined)).toEqual({ ok: true, filters: [{ authors: [other], kinds: [0, 10002, 10050] }] });
    expect(scopeFilters([{ kinds: [1] }], undefined)).toEqual({ ok: true, filters: [] });
  });

  it('asks for AUTH before private kinds', () => {
    expect(scopeFilters([{ kinds: [KIND_GIFT_WRAP], '#p': [me] }], undefined)).toEqual({ ok: false, message: expect.stringMatching(/^auth-required:/) });
  });

  it('pins private kinds to the authenticated key by their routing tag', () => {
    expect(scopeFilters([{ kinds: [KIND_GIFT_WRAP, 4243], since: 5 }], me)).toEqual({
      ok: true,
      filters: [
        { kinds: [KIND_GIFT_WRAP], since: 5, '#p': [me] },
        { kinds: [4243], since: 5, '#q': [me] },
      ],
    });
    expect(scopeFilters([{ kinds: [KIND_GIFT_WRAP], '#p': [me, other] }], me)).toEqual({ ok: true, filters: [{ kinds: [KIND_GIFT_WRAP], '#p': [me] }] });
  });

  it("refuses to name someone else's inbox with restricted:", () => {
    expect(scopeFilters([{ kinds: [KIND_GIFT_WRAP], '#p': [other] }], me)).toEqual({ ok: false, message: expect.stringMatching(/^restricted:/) });
    expect(scopeFilters([{ kinds: [4244], '#q': [other] }], me)).toEqual({ ok: false, message: expect.stringMatching(/^restricted:/) });
  });

  it('gives an authenticated reader without kinds the public kinds and their own private ones', () => {
    const scope = scopeFilters([{ limit: 10 }], me);
    expect(scope).toEqual({
      ok: true,
      filters: [
        { limit: 10, kinds: [0, 10002, 10050] },
        { limit: 10, kinds: [KIND_GIFT_WRAP], '#p': [me] },
        { limit: 10, kinds: [4243, 4244], '#q': [me] },
      ],
    });
  });
});

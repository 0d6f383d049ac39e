import { finalizeEvent, generateSecretKey, getPublicKey, verifiedSymbol } from 'nostr-tools/pure';

import { NOSTR_KIND_DM } from '@kez/protocol';

import { checkDmEvent, MAX_AGE_SECONDS, MAX_FUTURE_SECONDS } from './dm-event';

const NOW = 1_800_000_000;
const recipient = getPublicKey(generateSecretKey());
const nothingSeen = { has: () => false };

function dm(overrides: { created_at?: number; kind?: number; tags?: string[][] } = {}) {
  return finalizeEvent(
    { kind: overrides.kind ?? NOSTR_KIND_DM, created_at: overrides.created_at ?? NOW, tags: overrides.tags ?? [['q', recipient]], content: '{"v":2}' },
    generateSecretKey(),
  );
}

/** What a relay sends: JSON text, parsed fresh. */
const wire = (event: object) => JSON.parse(JSON.stringify(event));

describe(checkDmEvent.name, () => {
  it('accepts a signed KEZ DM and names its recipients', () => {
    const event = dm();
    expect(checkDmEvent(wire(event), NOW, nothingSeen)).toEqual({ ok: true, id: event.id, createdAt: NOW, recipients: [recipient] });
  });

  it('accepts the edges of the created_at window and refuses beyond them', () => {
    expect(checkDmEvent(wire(dm({ created_at: NOW - MAX_AGE_SECONDS })), NOW, nothingSeen).ok).toBe(true);
    expect(checkDmEvent(wire(dm({ created_at: NOW + MAX_FUTURE_SECONDS })), NOW, nothingSeen).ok).toBe(true);
    expect(checkDmEvent(wire(dm({ created_at: NOW - MAX_AGE_SECONDS - 1 })), NOW, nothingSeen)).toEqual({ ok: false, reason: 'stale' });
    expect(checkDmEvent(wire(dm({ created_at: NOW + MAX_FUTURE_SECONDS + 1 })), NOW, nothingSeen)).toEqual({ ok: false, reason: 'future' });
  });

  it('refuses a changed content, a changed tag or a signature by someone else', () => {
    const tampered = { ...wire(dm()), content: 'changed' };
    expect(checkDmEvent(tampered, NOW, nothingSeen)).toEqual({ ok: false, reason: 'bad_signature' });
    const retagged = wire(dm());
    retagged.tags = [['q', getPublicKey(generateSecretKey())]];
    expect(checkDmEvent(retagged, NOW, nothingSeen)).toEqual({ ok: false, reason: 'bad_signature' });
    const other = dm();
    expect(checkDmEvent({ ...wire(dm()), sig: other.sig }, NOW, nothingSeen)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('does not trust a verdict the object brings along', () => {
    // nostr-tools marks objects it verified; a tampered object still carrying the mark must be checked again.
    const event = dm();
    const tampered = Object.assign(event, { content: 'changed' });
    expect(tampered[verifiedSymbol]).toBe(true);
    expect(checkDmEvent(tampered, NOW, nothingSeen)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('drops ids already seen before checking the signature', () => {
    const event = wire(dm());
    expect(checkDmEvent(event, NOW, { has: (id) => id === event.id })).toEqual({ ok: false, reason: 'seen' });
  });

  it('refuses other kinds, malformed events and DMs without a q addr', () => {
    expect(checkDmEvent(wire(dm({ kind: 1 })), NOW, nothingSeen)).toEqual({ ok: false, reason: 'wrong_kind' });
    expect(
      checkDmEvent(
        wire(
          dm({
            tags: [
              ['p', recipient],
              ['h', recipient],
            ],
          }),
        ),
        NOW,
        nothingSeen,
      ),
    ).toEqual({ ok: false, reason: 'no_recipient' });
    expect(checkDmEvent(wire(dm({ tags: [['q', 'NOT-HEX']] })), NOW, nothingSeen)).toEqual({ ok: false, reason: 'no_recipient' });
    for (const broken of [null, 'x', {}, { ...wire(dm()), id: 'short' }, { ...wire(dm()), created_at: '1' }, { ...wire(dm()), tags: [[1]] }]) {
      expect(checkDmEvent(broken, NOW, nothingSeen)).toEqual({ ok: false, reason: 'malformed' });
    }
  });

  it('names each distinct q addr once', () => {
    const second = getPublicKey(generateSecretKey());
    const event = dm({
      tags: [
        ['q', recipient],
        ['q', second],
        ['q', recipient],
        ['e', 'x'],
      ],
    });
    expect(checkDmEvent(wire(event), NOW, nothingSeen)).toMatchObject({ ok: true, recipients: [recipient, second] });
  });
});

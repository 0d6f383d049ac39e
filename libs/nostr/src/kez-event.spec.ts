import { finalizeEvent, generateSecretKey, getPublicKey } from 'nostr-tools/pure';

import { MAX_ENVELOPE_BYTES, NOSTR_KIND_ACK, NOSTR_KIND_DM } from '@kez/protocol';

import { NostrError } from './errors';
import { EVENT_MAX_AGE_SECONDS } from './event-window';
import { buildKezEvent, readKezEvent } from './kez-event';
import { SeenIds } from './seen-ids';

const NOW = Math.floor(Date.now() / 1000);
const BOB = getPublicKey(generateSecretKey());
const ENVELOPE = { v: 2, enc: 'AAAA', ct: 'BBBB' };

describe(buildKezEvent.name, () => {
  it('carries the envelope and one q tag, and nothing else on the outside', () => {
    const event = buildKezEvent(NOSTR_KIND_DM, ENVELOPE, BOB, NOW);
    expect(event.kind).toBe(NOSTR_KIND_DM);
    expect(event.tags).toEqual([['q', BOB]]);
    expect(JSON.parse(event.content)).toEqual(ENVELOPE);
    expect(event.created_at).toBe(NOW);
  });

  it('signs every event with a key of its own', () => {
    const authors = new Set(Array.from({ length: 5 }, () => buildKezEvent(NOSTR_KIND_ACK, ENVELOPE, BOB, NOW).pubkey));
    expect(authors.size).toBe(5);
  });

  it('refuses a bad addr and an oversized envelope', () => {
    expect(() => buildKezEvent(NOSTR_KIND_DM, ENVELOPE, BOB.toUpperCase())).toThrow(NostrError);
    expect(() => buildKezEvent(NOSTR_KIND_DM, { v: 2, ct: 'x'.repeat(MAX_ENVELOPE_BYTES) }, BOB)).toThrow(NostrError);
  });
});

describe(readKezEvent.name, () => {
  it('reads a DM and a receipt back', () => {
    for (const kind of [NOSTR_KIND_DM, NOSTR_KIND_ACK] as const) {
      const verdict = readKezEvent(buildKezEvent(kind, ENVELOPE, BOB, NOW), NOW);
      expect(verdict).toMatchObject({ ok: true, kind, recipients: [BOB], envelope: ENVELOPE });
    }
  });

  it('drops what the contract tells receivers to drop', () => {
    const event = buildKezEvent(NOSTR_KIND_DM, ENVELOPE, BOB, NOW);
    expect(readKezEvent({ ...event, sig: event.sig.replace(/^./, (c) => (c === '0' ? '1' : '0')) }, NOW)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(readKezEvent({ ...event, content: JSON.stringify({ ...ENVELOPE, ct: 'CCCC' }) }, NOW)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(readKezEvent(buildKezEvent(NOSTR_KIND_DM, ENVELOPE, BOB, NOW - EVENT_MAX_AGE_SECONDS - 1), NOW)).toEqual({ ok: false, reason: 'stale' });
    expect(readKezEvent(buildKezEvent(NOSTR_KIND_DM, ENVELOPE, BOB, NOW + 301), NOW)).toEqual({ ok: false, reason: 'future' });
    const seen = new SeenIds();
    seen.add(event.id);
    expect(readKezEvent(event, NOW, seen)).toEqual({ ok: false, reason: 'seen' });
    expect(readKezEvent({ ...event, id: 'zz' }, NOW)).toEqual({ ok: false, reason: 'malformed' });
    expect(readKezEvent(null, NOW)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('drops other kinds, events without a q tag and contents that are no envelope', () => {
    const key = generateSecretKey();
    const sign = (kind: number, tags: string[][], content: string) => finalizeEvent({ kind, created_at: NOW, tags, content }, key);
    expect(readKezEvent(sign(1, [['q', BOB]], '{}'), NOW)).toEqual({ ok: false, reason: 'wrong_kind' });
    expect(readKezEvent(sign(NOSTR_KIND_DM, [['p', BOB]], JSON.stringify(ENVELOPE)), NOW)).toEqual({ ok: false, reason: 'no_recipient' });
    expect(readKezEvent(sign(NOSTR_KIND_DM, [['q', 'not-an-addr']], JSON.stringify(ENVELOPE)), NOW)).toEqual({ ok: false, reason: 'no_recipient' });
    for (const content of ['not json', '[1]', '{"ct":"x"}', 'null']) {
      expect(readKezEvent(sign(NOSTR_KIND_DM, [['q', BOB]], content), NOW)).toEqual({ ok: false, reason: 'bad_envelope' });
    }
  });
});

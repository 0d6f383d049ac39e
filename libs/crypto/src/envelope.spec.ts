import { openEnvelope } from './envelope';
import { sealV1 } from './envelope-v1';
import { sealV2 } from './envelope-v2';
import { deriveIdentity, type Identity } from './identity';

let alice: Identity;
let bob: Identity;

beforeAll(() => {
  alice = deriveIdentity(new Uint8Array(32).fill(1));
  bob = deriveIdentity(new Uint8Array(32).fill(2));
});

describe(openEnvelope.name, () => {
  it('dispatches on v', () => {
    expect(openEnvelope(bob, sealV2(alice, bob.primary, { body: 'two' })).v).toBe(2);
    expect(openEnvelope(bob, sealV1(alice, bob.primary, { body: 'one' })).v).toBe(1);
  });

  it('refuses unknown versions and non-envelopes', () => {
    expect(() => openEnvelope(bob, { v: 3 })).toThrow(expect.objectContaining({ code: 'unsupported_version' }));
    expect(() => openEnvelope(bob, { v: '2' })).toThrow(expect.objectContaining({ code: 'malformed' }));
    expect(() => openEnvelope(bob, null)).toThrow(expect.objectContaining({ code: 'malformed' }));
  });

  it('applies the v2 freshness window with the given clock', () => {
    const envelope = sealV2(alice, bob.primary, { body: 'x', sent_at: 1000 });
    expect(() => openEnvelope(bob, envelope, 1000 + 8 * 86400)).toThrow(expect.objectContaining({ code: 'stale' }));
    expect(openEnvelope(bob, envelope, 1000).body).toBe('x');
  });
});

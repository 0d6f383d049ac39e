import { nostrContactName } from './model';

const pubkey = 'ab'.repeat(32);

describe(nostrContactName.name, () => {
  it('shows the kind 0 name, else the NIP-05 name, else a short key', () => {
    expect(nostrContactName({ pubkey, name: 'Dora the Nostrich', nip05: 'dora@example.org' })).toBe('Dora the Nostrich');
    expect(nostrContactName({ pubkey, nip05: 'dora@example.org' })).toBe('dora@example.org');
    expect(nostrContactName({ pubkey })).toBe('abababab…abab');
  });

  it('never lets a stranger’s name pass for a KEZ handle ("@bob"), even with a look-alike at-sign', () => {
    expect(nostrContactName({ pubkey, name: '@alice' })).toBe('alice');
    expect(nostrContactName({ pubkey, name: ' ＠alice' })).toBe('alice');
    expect(nostrContactName({ pubkey, name: '﹫@alice' })).toBe('alice');
    // An at-sign inside the name is no disguise: it stays.
    expect(nostrContactName({ pubkey, name: 'dora@home' })).toBe('dora@home');
  });

  it('drops invisible and direction-changing characters, and falls back when nothing is left', () => {
    expect(nostrContactName({ pubkey, name: '\u202Eecila\u202C' })).toBe('ecila');
    expect(nostrContactName({ pubkey, name: '\u200B@\u200Dbob' })).toBe('bob');
    expect(nostrContactName({ pubkey, name: '@\u200B', nip05: 'x@example.org' })).toBe('x@example.org');
  });
});

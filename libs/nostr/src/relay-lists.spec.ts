import { dmRelayListTemplate, MAX_LIST_RELAYS, profileTemplate, readDmRelayList, readProfile, readRelayList, relayListTemplate } from './relay-lists';

describe('relay lists', () => {
  it('writes and reads a NIP-65 list with markers', () => {
    const template = relayListTemplate([
      { url: 'wss://both.example', read: true, write: true },
      { url: 'wss://in.example/', read: true, write: false },
      { url: 'WSS://OUT.example', read: false, write: true },
      { url: 'https://not-a-relay.example', read: true, write: true },
      { url: 'wss://neither.example', read: false, write: false },
    ]);
    expect(template.kind).toBe(10002);
    expect(template.tags).toEqual([
      ['r', 'wss://both.example/'],
      ['r', 'wss://in.example/', 'read'],
      ['r', 'wss://out.example/', 'write'],
    ]);
    expect(readRelayList({ kind: 10002, tags: template.tags })).toEqual([
      { url: 'wss://both.example/', read: true, write: true },
      { url: 'wss://in.example/', read: true, write: false },
      { url: 'wss://out.example/', read: false, write: true },
    ]);
  });

  it('merges duplicates, skips unknown markers and other kinds', () => {
    const tags = [
      ['r', 'wss://a.example', 'read'],
      ['r', 'wss://a.example/', 'write'],
      ['r', 'wss://b.example', 'maybe'],
      ['p', 'x'],
    ];
    expect(readRelayList({ kind: 10002, tags })).toEqual([{ url: 'wss://a.example/', read: true, write: true }]);
    expect(readRelayList({ kind: 3, tags })).toEqual([]);
  });

  it('writes and reads a NIP-17 DM inbox list, bounded', () => {
    const urls = Array.from({ length: MAX_LIST_RELAYS + 5 }, (_, i) => `wss://r${i}.example`);
    const template = dmRelayListTemplate(['wss://a.example', 'wss://a.example/', 'ftp://x', ...urls]);
    expect(template.kind).toBe(10050);
    expect(template.tags[0]).toEqual(['relay', 'wss://a.example/']);
    expect(template.tags).toHaveLength(MAX_LIST_RELAYS);
    expect(
      readDmRelayList({
        kind: 10050,
        tags: [
          ['relay', 'ws://127.0.0.1:7000'],
          ['relay', 'javascript:alert(1)'],
        ],
      }),
    ).toEqual(['ws://127.0.0.1:7000/']);
    expect(readDmRelayList({ kind: 10002, tags: [['relay', 'wss://a.example']] })).toEqual([]);
  });

  it('writes and reads a minimal profile', () => {
    const template = profileTemplate({ name: 'alice', nip05: 'alice@chat.example', picture: undefined });
    expect(template.kind).toBe(0);
    expect(JSON.parse(template.content)).toEqual({ name: 'alice', nip05: 'alice@chat.example' });
    expect(readProfile({ kind: 0, content: template.content })).toEqual({ name: 'alice', nip05: 'alice@chat.example' });
    expect(readProfile({ kind: 0, content: '[1]' })).toBeUndefined();
    expect(readProfile({ kind: 0, content: 'nope' })).toBeUndefined();
    expect(readProfile({ kind: 1, content: '{}' })).toBeUndefined();
  });
});

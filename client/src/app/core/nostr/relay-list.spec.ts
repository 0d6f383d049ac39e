import { MemoryStore } from '../storage/memory-store';
import { parseRelayInput, type RelayChoice, relayChoiceText, RelayList, repeatedRelays } from './relay-list';

function serverAnswering(lists: (string[] | Error)[]) {
  return {
    calls: 0,
    async defaultRelays(): Promise<string[]> {
      const next = lists[Math.min(this.calls++, lists.length - 1)]!;
      if (next instanceof Error) {
        throw next;
      }
      return next;
    },
  };
}

describe(RelayList.name, () => {
  it("uses the home server's defaults, normalised, and the last ones known while it is down", async () => {
    const store = new MemoryStore();
    const server = serverAnswering([['ws://127.0.0.1:7001/relay/', 'WSS://Relay.Test', 'https://no'], new Error('down')]);
    expect(await new RelayList(store, server).current()).toEqual({
      urls: ['ws://127.0.0.1:7001/relay', 'wss://relay.test/'],
      source: 'server',
      defaults: ['ws://127.0.0.1:7001/relay', 'wss://relay.test/'],
    });
    expect((await new RelayList(store, server).current()).urls).toEqual(['ws://127.0.0.1:7001/relay', 'wss://relay.test/']);
  });

  it("keeps the person's own list over the defaults, and goes back to the defaults when asked", async () => {
    const store = new MemoryStore();
    const list = new RelayList(store, serverAnswering([['wss://default.test']]));
    await list.setCustom(['wss://mine.test']);
    expect(await list.current()).toEqual({ urls: ['wss://mine.test'], source: 'custom', defaults: ['wss://default.test/'] });
    await list.setCustom(null);
    expect(await list.current()).toEqual({ urls: ['wss://default.test/'], source: 'server', defaults: ['wss://default.test/'] });
  });

  it("takes the profile pictures' old list (a plain array under the same key) as the person's own, and an empty one as none", async () => {
    const store = new MemoryStore();
    await store.write([{ bucket: 'meta', key: 'nostr.relays', value: ['ws://127.0.0.1:7003', 'ws://127.0.0.1:7003/'] }]);
    const list = new RelayList(store, serverAnswering([['wss://default.test']]));
    expect(await list.current()).toEqual({ urls: ['ws://127.0.0.1:7003/'], source: 'custom', defaults: ['wss://default.test/'] });
    await list.setCustom(null);
    expect(await list.current()).toMatchObject({ urls: ['wss://default.test/'], source: 'server' });
    await store.write([{ bucket: 'meta', key: 'nostr.relays', value: [] }]);
    expect(await list.current()).toMatchObject({ urls: ['wss://default.test/'], source: 'server' });
  });

  it('is empty, not an error, with no server answer and nothing stored', async () => {
    expect((await new RelayList(new MemoryStore(), serverAnswering([new Error('down')])).current()).urls).toEqual([]);
  });
});

describe(parseRelayInput.name, () => {
  it('reads lines, commas and spaces, normalises and drops repeats', () => {
    expect(parseRelayInput('wss://a.test/\n wss://A.test, ws://127.0.0.1:7002  wss://b.test')).toEqual([
      'wss://a.test/',
      'ws://127.0.0.1:7002/',
      'wss://b.test/',
    ]);
    expect(parseRelayInput('  ')).toEqual([]);
  });

  it('names what is not a relay address, and refuses more than 20', () => {
    expect(() => parseRelayInput('wss://a.test https://b.test relay.c')).toThrow('Not a relay address (ws:// or wss://): https://b.test, relay.c');
    expect(() => parseRelayInput(Array.from({ length: 21 }, (_, i) => `wss://r${i}.test`).join('\n'))).toThrow('At most 20 relays.');
  });

  it('suggests the relay address a person most likely meant', () => {
    expect(() => parseRelayInput('relay.example.org https://b.test http://127.0.0.1:7000 ftp://c.test')).toThrow(
      'Not a relay address (ws:// or wss://): relay.example.org, https://b.test, http://127.0.0.1:7000, ftp://c.test. Did you mean “wss://relay.example.org”, “wss://b.test”, “ws://127.0.0.1:7000”?',
    );
    expect(() => parseRelayInput('ftp://c.test')).toThrow(/^Not a relay address \(ws:\/\/ or wss:\/\/\): ftp:\/\/c\.test\.$/);
  });
});

describe(repeatedRelays.name, () => {
  it('counts the entries that name a relay already listed, once normalised', () => {
    expect(repeatedRelays('wss://a.test\nwss://A.test/ wss://a.test, wss://b.test')).toBe(2);
    expect(repeatedRelays('wss://a.test wss://b.test')).toBe(0);
    expect(repeatedRelays('not a relay')).toBe(0);
  });
});

describe(relayChoiceText.name, () => {
  const own = (urls: string[]): RelayChoice => ({ urls, source: 'custom', defaults: ['wss://d.test/'] });
  const server = (urls: string[]): RelayChoice => ({ urls, source: 'server', defaults: urls });

  it('says where the list comes from, and what an empty one means', () => {
    expect(relayChoiceText(own(['wss://a.test/']))).toBe('Your own list.');
    expect(relayChoiceText(own([]))).toBe('Your own list is empty: messages travel through your home server only, and cannot be sent while it is down.');
    expect(relayChoiceText(server(['wss://d.test/']))).toBe('The relays your home server proposes.');
    expect(relayChoiceText(server([]))).toBe('Your home server proposes no relays: messages travel through it only.');
  });

  it('confirms a save and the repeats it merged', () => {
    expect(relayChoiceText(own(['wss://a.test/']), { repeats: 0 })).toBe('Saved. Your own list.');
    expect(relayChoiceText(own(['wss://a.test/']), { repeats: 1 })).toBe('Saved. Your own list. One address was listed twice and is kept once.');
    expect(relayChoiceText(own(['wss://a.test/']), { repeats: 2 })).toBe('Saved. Your own list. 2 repeated addresses are kept once.');
    expect(relayChoiceText(server(['wss://d.test/']), { repeats: 0 })).toBe('Saved. The relays your home server proposes.');
  });
});

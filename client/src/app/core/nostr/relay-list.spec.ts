import { MemoryStore } from '../storage/memory-store';
import { parseRelayInput, RelayList } from './relay-list';

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
    expect(parseRelayInput('wss://a.test/\n wss://A.test, ws://127.0.0.1:7002  wss://b.test')).toEqual(['wss://a.test/', 'ws://127.0.0.1:7002/', 'wss://b.test/']);
    expect(parseRelayInput('  ')).toEqual([]);
  });

  it('names what is not a relay address, and refuses more than 20', () => {
    expect(() => parseRelayInput('wss://a.test https://b.test relay.c')).toThrow('Not a relay address (ws:// or wss://): https://b.test, relay.c');
    expect(() => parseRelayInput(Array.from({ length: 21 }, (_, i) => `wss://r${i}.test`).join('\n'))).toThrow('At most 20 relays.');
  });
});

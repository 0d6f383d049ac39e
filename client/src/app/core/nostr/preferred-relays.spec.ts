import { MemoryStore } from '../storage/memory-store';
import { PreferredRelays } from './preferred-relays';

const alice = `ed25519:${'a'.repeat(64)}`;
const bob = `ed25519:${'b'.repeat(64)}`;

describe(PreferredRelays.name, () => {
  it('remembers one normalised relay per conversation, across instances', async () => {
    const store = new MemoryStore();
    const preferred = new PreferredRelays(store);
    await preferred.remember(alice, 'wss://One.example');
    await preferred.remember(bob, 'wss://two.example/');
    await preferred.remember(alice, 'wss://three.example');
    const again = new PreferredRelays(store);
    expect(await again.get(alice)).toBe('wss://three.example/');
    expect(await again.get(bob)).toBe('wss://two.example/');
    expect(await again.get(`ed25519:${'c'.repeat(64)}`)).toBeUndefined();
  });

  it('ignores paths that are not relays', async () => {
    const preferred = new PreferredRelays(new MemoryStore());
    await preferred.remember(alice, 'wss://one.example');
    await preferred.remember(alice, 'home');
    await preferred.remember(alice, 'nostr');
    expect(await preferred.get(alice)).toBe('wss://one.example/');
  });

  it('forgets a relay removed from the list, for every conversation', async () => {
    const preferred = new PreferredRelays(new MemoryStore());
    await preferred.remember(alice, 'wss://gone.example');
    await preferred.remember(bob, 'wss://kept.example');
    await preferred.forgetRelay('wss://GONE.example/');
    expect(await preferred.get(alice)).toBeUndefined();
    expect(await preferred.get(bob)).toBe('wss://kept.example/');
  });
});

import type { AppConfig } from '../config/app-config';
import { ClientIpResolver } from '../rate-limit/client-ip';
import { InboxRelayDirectory } from './inbox-relay-directory';
import type { RelayEventStore } from './relay-event-store';

function directory(publicUrl: string, listed: string[] = []): InboxRelayDirectory {
  return new InboxRelayDirectory({ publicUrl } as AppConfig, new ClientIpResolver([{ network: '10.0.0.0', prefix: 8, family: 'ipv4' }]), {
    dmRelaysOf: () => Promise.resolve(listed),
  } as unknown as RelayEventStore);
}

describe(InboxRelayDirectory.name, () => {
  it('lists this relay from KEZ_CHAT_PUBLIC_URL first, then the user’s kind 10050 relays, normalised, without repeats', async () => {
    const relays = await directory('https://chat.example.org', [
      'wss://chat.example.org/relay/',
      'wss://Inbox.Example',
      'https://not-a-relay',
      'wss://inbox.example/',
    ]).relaysFor('a', {
      host: 'internal:6969',
    });
    expect(relays).toEqual(['wss://chat.example.org/relay', 'wss://inbox.example']);
  });

  it('without a public URL, uses Host, with wss only when a trusted proxy says the client came over https', async () => {
    const none = directory('');
    expect(await none.relaysFor('a', { host: 'chat.example.org', peer: '10.1.2.3', forwardedProto: 'https' })).toEqual(['wss://chat.example.org/relay']);
    expect(await none.relaysFor('a', { host: 'chat.example.org', peer: '203.0.113.9', forwardedProto: 'https' })).toEqual(['ws://chat.example.org/relay']);
    expect(await none.relaysFor('a', { host: '127.0.0.1:6969', peer: '127.0.0.1' })).toEqual(['ws://127.0.0.1:6969/relay']);
    expect(await none.relaysFor('a', {})).toEqual([]);
    expect(await none.relaysFor('a', { host: 'evil.example/phish?' })).toEqual([]);
  });
});

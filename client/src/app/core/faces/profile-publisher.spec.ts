import { deriveIdentity } from '@kez/crypto';
import type { NostrEvent } from 'nostr-tools/pure';

import { ProfilePublisher } from './profile-publisher';

describe('ProfilePublisher', () => {
  const identity = deriveIdentity(new Uint8Array(32).fill(7));

  function pool(urls: string[], accept = true) {
    const sent: NostrEvent[] = [];
    return {
      sent,
      urls,
      publish: async (event: NostrEvent) => {
        sent.push(event);
        return accept
          ? { first: urls[0], accepted: urls, refused: [] }
          : { accepted: [], refused: urls.map((relay) => ({ relay, reason: 'blocked: too large' })) };
      },
    };
  }

  it('signs a kind 0 with the base profile and the picture fields', async () => {
    const relays = pool(['wss://a.example/']);
    const result = await new ProfilePublisher(
      relays,
      identity,
      () => ({ name: 'alice' }),
      () => 1000,
    ).publish({ picture: 'data:image/png;base64,AA' });
    expect(result).toEqual({ ok: true, message: 'Profile published to 1 of 1 relay.' });
    expect(relays.sent[0]).toMatchObject({ kind: 0, pubkey: identity.addr, created_at: 1000 });
    expect(JSON.parse(relays.sent[0]!.content)).toEqual({ name: 'alice', picture: 'data:image/png;base64,AA' });
  });

  it('moves created_at forward for changes within one second, so relays keep the last', async () => {
    const relays = pool(['wss://a.example/']);
    const publisher = new ProfilePublisher(
      relays,
      identity,
      () => ({}),
      () => 1000,
    );
    await publisher.publish(undefined);
    await publisher.publish(undefined);
    await publisher.publish(undefined);
    expect(relays.sent.map((event) => event.created_at)).toEqual([1000, 1001, 1002]);
  });

  it('says why nothing was published', async () => {
    expect(await new ProfilePublisher(pool([]), identity, () => ({})).publish(undefined)).toMatchObject({
      ok: false,
      message: expect.stringContaining('No nostr relays'),
    });
    expect(await new ProfilePublisher(pool(['wss://a.example/'], false), identity, () => ({})).publish(undefined)).toMatchObject({
      ok: false,
      message: expect.stringContaining('wss://a.example/: blocked: too large'),
    });
  });
});

import { finalizeEvent, generateSecretKey } from 'nostr-tools/pure';

import { poolWithFakes } from '../testing/fake-relay-link';
import { SharedRelayPool } from './shared-relay-pool';

const URL = 'wss://relay.example/';

function shared() {
  const { pool, links } = poolWithFakes();
  return { shared: new SharedRelayPool(pool), links, link: () => links.get(URL)! };
}

describe(SharedRelayPool.name, () => {
  it('opens one connection per relay for every lease, and closes it when the last lease stops', () => {
    const { shared: pool, links, link } = shared();
    const chat = pool.lease();
    const faces = pool.lease();
    chat.setRelays([URL]);
    faces.setRelays([URL]);
    faces.start();
    chat.start();
    expect(links.size).toBe(1);
    expect(link().calls).toEqual(['start']);
    faces.stop();
    expect(link().calls).toEqual(['start']);
    expect(pool.idle).toBe(false);
    chat.stop();
    expect(link().calls).toEqual(['start', 'stop']);
    expect(pool.idle).toBe(true);
    // Stopping twice does not count twice.
    chat.stop();
    expect(link().calls).toEqual(['start', 'stop']);
  });

  it("ends a lease's own subscriptions and listeners, leaving the others'", () => {
    const { shared: pool, link } = shared();
    const chat = pool.lease();
    const faces = pool.lease();
    chat.setRelays([URL]);
    chat.start();
    faces.start();
    chat.subscribe({ id: 'kez', filters: [{ kinds: [4243] }] });
    faces.subscribe({ id: 'profiles', filters: [{ kinds: [0] }] });
    const heard: string[] = [];
    chat.onEvent((_event, id) => heard.push(`chat:${id}`));
    faces.onEvent((_event, id) => heard.push(`faces:${id}`));
    faces.stop();
    expect([...link().specs.keys()]).toEqual(['kez']);
    link().emit(finalizeEvent({ kind: 4243, created_at: 1_800_000_000, tags: [], content: '' }, generateSecretKey()), 'kez');
    expect(heard).toEqual(['chat:kez']);
    chat.stop();
  });
});

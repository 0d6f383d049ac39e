import type { Event } from '@nostr-relay/common';
import { finalizeEvent, generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import { Registry } from 'prom-client';

import type { StreamPresence } from '../broker/stream-presence';
import type { NostrSeenStore } from '../nostr-listener/nostr-seen-store';
import type { PushNotifier } from '../push/push-notifier';
import type { HandleStore } from '../registry/handle-store';
import type { RelayFanout } from './relay-fanout';
import { RelayMetrics } from './relay-metrics';
import { RelayWake } from './relay-wake';

const bob = getPublicKey(generateSecretKey());
const event = (kind: number, tag: 'p' | 'q' = kind === 1059 ? 'p' : 'q'): Event =>
  finalizeEvent({ kind, created_at: 1, tags: [[tag, bob]], content: '' }, generateSecretKey());

function wake(options: { handles?: string[]; reading?: boolean; streaming?: string[]; claimWins?: boolean } = {}) {
  const notified: string[] = [];
  const claims: string[] = [];
  const relayWake = new RelayWake(
    { findAllByAddrs: () => Promise.resolve((options.handles ?? ['bob']).map((handle) => ({ handle }))) } as unknown as HandleStore,
    {
      claim: (id: string) => {
        claims.push(id);
        return Promise.resolve(options.claimWins ?? true);
      },
    } as unknown as NostrSeenStore,
    { isReading: () => Promise.resolve(options.reading ?? false) } as unknown as RelayFanout,
    { isStreaming: (handle: string) => Promise.resolve((options.streaming ?? []).includes(handle)) } as unknown as StreamPresence,
    { notify: (handle: string) => void notified.push(handle) } as unknown as PushNotifier,
    new RelayMetrics(new Registry()),
  );
  return { relayWake, notified, claims };
}

describe(RelayWake.name, () => {
  it('pushes a gift wrap to every handle of its recipient, the relay insert being its once-per-cluster claim', async () => {
    const { relayWake, notified, claims } = wake({ handles: ['bob', 'bobby'] });
    expect(await relayWake.decide(event(1059), false)).toBe('pushed');
    expect(notified).toEqual(['bob', 'bobby']);
    expect(claims).toEqual([]);
  });

  it('claims a KEZ DM in nostr_seen, shared with the listener, and does not push when another already did', async () => {
    const won = wake();
    const dm = event(4243);
    expect(await won.relayWake.decide(dm, false)).toBe('pushed');
    expect(won.claims).toEqual([dm.id]);
    const lost = wake({ claimWins: false });
    expect(await lost.relayWake.decide(event(4243), false)).toBe('claimed_elsewhere');
    expect(lost.notified).toEqual([]);
  });

  it('does not push while the recipient reads on the relay or streams, and then writes nothing', async () => {
    for (const setup of [{ reading: true }, { streaming: ['bob'] }]) {
      const { relayWake, notified, claims } = wake(setup);
      expect(await relayWake.decide(event(4243), false)).toBe('reading');
      expect({ notified, claims }).toEqual({ notified: [], claims: [] });
    }
    const took = wake();
    expect(await took.relayWake.decide(event(1059), true)).toBe('reading');
    const partly = wake({ handles: ['bob', 'bobby'], streaming: ['bob'] });
    expect(await partly.relayWake.decide(event(1059), false)).toBe('pushed');
    expect(partly.notified).toEqual(['bobby']);
  });

  it('never wakes for receipts and public kinds, nor for an addr nobody registered', async () => {
    expect(await wake().relayWake.decide(event(4244), false)).toBe('not_waking');
    expect(await wake().relayWake.decide(event(10050, 'p'), false)).toBe('not_waking');
    expect(await wake({ handles: [] }).relayWake.decide(event(1059), false)).toBe('unregistered');
  });
});

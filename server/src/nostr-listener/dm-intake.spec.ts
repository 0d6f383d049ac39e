import { finalizeEvent, generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import { Registry } from 'prom-client';

import { NOSTR_KIND_DM } from '@kez/protocol';

import type { PushNotifier } from '../push/push-notifier';
import type { HandleStore } from '../registry/handle-store';
import { DmIntake } from './dm-intake';
import { NostrMetrics } from './nostr-metrics';
import type { NostrSeenStore } from './nostr-seen-store';

// The intake needs these classes only as DI tokens; the real ones load TypeORM and the push fanout, which fakes replace here.
jest.mock('../registry/handle-store', () => ({ HandleStore: class {} }));
jest.mock('./nostr-seen-store', () => ({ NostrSeenStore: class {} }));
jest.mock('../push/push-notifier', () => ({ PushNotifier: class {} }));

const NOW = 1_800_000_000;
const aliceAddr = getPublicKey(generateSecretKey());

function dm(addr = aliceAddr, createdAt = NOW) {
  return JSON.parse(JSON.stringify(finalizeEvent({ kind: NOSTR_KIND_DM, created_at: createdAt, tags: [['q', addr]], content: 'sealed' }, generateSecretKey())));
}

describe(DmIntake.name, () => {
  let directory: Record<string, string[]>;
  let claimed: Set<string>;
  let claimFails: boolean;
  let notified: string[];
  let intake: DmIntake;
  let metrics: NostrMetrics;

  beforeEach(() => {
    metrics = new NostrMetrics(new Registry());
    directory = { [aliceAddr]: ['alice'] };
    claimed = new Set();
    claimFails = false;
    notified = [];
    const handles = {
      findAllByAddrs: async (addrs: string[]) => addrs.flatMap((addr) => (directory[addr] ?? []).map((handle) => ({ handle, addr }))),
    };
    const claims = {
      claim: async (id: string) => {
        if (claimFails) {
          throw new Error('database down');
        }
        if (claimed.has(id)) {
          return false;
        }
        claimed.add(id);
        return true;
      },
    };
    const notifier = { notify: (handle: string) => notified.push(handle) };
    intake = new DmIntake(handles as unknown as HandleStore, claims as unknown as NostrSeenStore, notifier as unknown as PushNotifier, metrics);
  });

  it('wakes the recipient of a DM once, however many relays deliver it', async () => {
    const event = dm();
    const results = await Promise.all([intake.process(event, NOW), intake.process({ ...event }, NOW), intake.process(JSON.parse(JSON.stringify(event)), NOW)]);
    expect(results.sort()).toEqual(['pushed', 'seen', 'seen']);
    expect(notified).toEqual(['alice']);
  });

  it('wakes every handle that shares the addr', async () => {
    directory[aliceAddr] = ['alice', 'alice-work'];
    expect(await intake.process(dm(), NOW)).toBe('pushed');
    expect(notified.sort()).toEqual(['alice', 'alice-work']);
  });

  it('leaves the push to the instance that claimed the id first', async () => {
    const event = dm();
    claimed.add(event.id);
    expect(await intake.process(event, NOW)).toBe('claimed_elsewhere');
    expect(notified).toEqual([]);
  });

  it('ignores DMs for addrs nobody registered here, and does not claim them', async () => {
    expect(await intake.process(dm(getPublicKey(generateSecretKey())), NOW)).toBe('unregistered');
    expect(claimed.size).toBe(0);
    expect(notified).toEqual([]);
  });

  it('drops bad events before any lookup', async () => {
    expect(await intake.process({ ...dm(), content: 'forged' }, NOW)).toBe('bad_signature');
    expect(await intake.process(dm(aliceAddr, NOW - 3 * 86_400), NOW)).toBe('stale');
    expect(notified).toEqual([]);
    expect(await metrics.intakeCounts()).toEqual({ bad_signature: 1, stale: 1 });
  });

  it('lets a later copy try again when the database failed', async () => {
    const event = dm();
    claimFails = true;
    await expect(intake.process(event, NOW)).rejects.toThrow('database down');
    claimFails = false;
    expect(await intake.process(event, NOW)).toBe('pushed');
    expect(notified).toEqual(['alice']);
  });
});

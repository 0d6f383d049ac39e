import { FakeEventSource } from '../testing/fake-event-source';
import type { EventSourceLike } from '../transport/inbox-stream';
import { SharedStream, type LockManagerLike } from './shared-stream';
import type { ChannelLike, TabMessage } from './tab-channel';

/** Web Locks in memory: exclusive, granted in request order, released when the callback's promise settles; `ifAvailable` gets null when held. */
class FakeLocks implements LockManagerLike {
  private readonly queues = new Map<string, (() => Promise<void>)[]>();

  request(name: string, options: { ifAvailable?: boolean }, callback: (lock: unknown) => Promise<void>): Promise<void> {
    const queue = this.queues.get(name) ?? [];
    if (options.ifAvailable && queue.length > 0) {
      return callback(null);
    }
    return new Promise((resolve) => {
      this.queues.set(name, queue);
      queue.push(async () => {
        await callback({ name });
        resolve();
      });
      if (queue.length === 1) {
        void this.run(name);
      }
    });
  }

  private async run(name: string): Promise<void> {
    const queue = this.queues.get(name)!;
    while (queue.length > 0) {
      await queue[0]!();
      queue.shift();
    }
  }
}

/** BroadcastChannel between "tabs" in one process: delivered to every other member, asynchronously. */
class FakeHub {
  private readonly members = new Set<FakeChannel>();
  join(): FakeChannel {
    const channel = new FakeChannel(this.members);
    this.members.add(channel);
    return channel;
  }
}

class FakeChannel implements ChannelLike {
  private readonly listeners = new Set<(event: MessageEvent<TabMessage>) => void>();
  constructor(private readonly members: Set<FakeChannel>) {}
  postMessage(message: TabMessage): void {
    for (const member of this.members) {
      if (member !== this) {
        queueMicrotask(() => member.listeners.forEach((listener) => listener({ data: structuredClone(message) } as MessageEvent<TabMessage>)));
      }
    }
  }
  addEventListener(_type: 'message', listener: (event: MessageEvent<TabMessage>) => void): void {
    this.listeners.add(listener);
  }
  removeEventListener(_type: 'message', listener: (event: MessageEvent<TabMessage>) => void): void {
    this.listeners.delete(listener);
  }
  close(): void {
    this.members.delete(this);
  }
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

function watch(source: EventSourceLike) {
  const seen = { opened: 0, errors: 0, data: [] as string[] };
  source.onopen = () => seen.opened++;
  source.onerror = () => seen.errors++;
  source.addEventListener('message', (event) => seen.data.push(event.data));
  return seen;
}

describe('SharedStream', () => {
  let hub: FakeHub;
  let locks: FakeLocks;
  let real: FakeEventSource[];
  const connect = (url: string) => {
    const source = new FakeEventSource(url);
    real.push(source);
    return source;
  };

  beforeEach(() => {
    hub = new FakeHub();
    locks = new FakeLocks();
    real = [];
  });

  it('opens one real stream for two tabs and relays its events and status to the other', async () => {
    const first = new SharedStream(connect, hub.join(), locks, 'kez-stream');
    await first.leading;
    const second = new SharedStream(connect, hub.join(), locks, 'kez-stream');
    await second.decided;
    expect([first.isLeader, second.isLeader]).toEqual([true, false]);

    const leaderSeen = watch(first.connect('/stream?a'));
    const followerSeen = watch(second.connect('/stream?b'));
    expect(real).toHaveLength(1);

    real[0]!.fireOpen();
    real[0]!.fireMessage('{"seq":1}');
    await tick();
    expect(leaderSeen).toEqual({ opened: 1, errors: 0, data: ['{"seq":1}'] });
    expect(followerSeen).toEqual({ opened: 1, errors: 0, data: ['{"seq":1}'] });
  });

  it('tells a follower that attaches later that the stream is already open', async () => {
    const first = new SharedStream(connect, hub.join(), locks, 'kez-stream');
    await first.leading;
    watch(first.connect('/stream'));
    real[0]!.fireOpen();
    const second = new SharedStream(connect, hub.join(), locks, 'kez-stream');
    await tick();
    const followerSeen = watch(second.connect('/stream'));
    await tick();
    await tick();
    expect(followerSeen.opened).toBe(1);
  });

  it('hands the real stream over when the leader stops', async () => {
    const first = new SharedStream(connect, hub.join(), locks, 'kez-stream');
    await first.leading;
    watch(first.connect('/stream'));
    const second = new SharedStream(connect, hub.join(), locks, 'kez-stream');
    await tick();
    const followerSeen = watch(second.connect('/stream'));

    first.stop();
    await second.leading;
    // The relayed source fails, so the follower's InboxStream reconnects: for real now.
    expect(followerSeen.errors).toBe(1);
    second.connect('/stream');
    expect(real).toHaveLength(2);
  });

  it('mirrors a failure of the leader stream to followers', async () => {
    const first = new SharedStream(connect, hub.join(), locks, 'kez-stream');
    await first.leading;
    watch(first.connect('/stream'));
    const second = new SharedStream(connect, hub.join(), locks, 'kez-stream');
    await tick();
    const followerSeen = watch(second.connect('/stream'));
    real[0]!.fireError();
    await tick();
    expect(followerSeen.errors).toBe(1);
  });

  it("hands the leader's relay arrivals to the other tabs, and only the leader's", async () => {
    const first = new SharedStream(connect, hub.join(), locks, 'kez-stream');
    await first.leading;
    const second = new SharedStream(connect, hub.join(), locks, 'kez-stream');
    await second.decided;
    const third = new SharedStream(connect, hub.join(), locks, 'kez-stream');
    await third.decided;
    const heard: { tab: string; ids: readonly string[] }[] = [];
    for (const [tab, stream] of [['first', first], ['second', second], ['third', third]] as const) {
      stream.onArrival((arrival) => heard.push({ tab, ids: arrival.kind === 'receipt' ? arrival.ids : [] }));
    }
    first.shareArrival({ kind: 'receipt', from: 'ed25519:peer', ids: ['m1'], path: 'ws://relay.test/' });
    // A follower has no relays: what it would share is nobody's news.
    second.shareArrival({ kind: 'receipt', from: 'ed25519:peer', ids: ['m2'], path: 'ws://relay.test/' });
    await tick();
    expect(heard).toEqual([
      { tab: 'second', ids: ['m1'] },
      { tab: 'third', ids: ['m1'] },
    ]);
  });
});

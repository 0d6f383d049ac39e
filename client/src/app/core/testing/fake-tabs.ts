import type { LockManagerLike } from '../tabs/shared-stream';
import type { ChannelLike, TabMessage } from '../tabs/tab-channel';

// The browser parts that tie tabs together, in memory, for tests of several "tabs" in one process.

/** Web Locks in memory: exclusive, granted in request order, released when the callback's promise settles; `ifAvailable` gets null when held. */
export class FakeLocks implements LockManagerLike {
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

/** BroadcastChannel between "tabs" in one process (join one per tab): delivered to every other member, asynchronously. */
export class FakeTabHub {
  private readonly members = new Set<FakeChannel>();
  join(): FakeChannel {
    const channel = new FakeChannel(this.members);
    this.members.add(channel);
    return channel;
  }
}

export class FakeChannel implements ChannelLike {
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

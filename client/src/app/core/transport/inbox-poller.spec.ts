import type { InboxPage, StoredMessage } from '@kez/protocol';

import { FakeTimers } from '../testing/fake-timers';
import { InboxPoller } from './inbox-poller';

/** Lets every pending promise callback run (real macrotask; the poller's timers are fake). */
const settled = () => new Promise((resolve) => setTimeout(resolve, 0));
const stored = (seq: number): StoredMessage => ({ seq, envelope: { v: 2 }, created_at: 1 });

function setup(pages: (since: number) => Promise<InboxPage>) {
  const timers = new FakeTimers();
  const received: number[] = [];
  const asked: number[] = [];
  let since = 0;
  const poller = new InboxPoller({
    fetchPage: (from) => {
      asked.push(from);
      return pages(from);
    },
    since: () => since,
    onMessage: (message) => {
      received.push(message.seq);
      since = message.seq;
    },
    intervalMs: 30_000,
    timers,
  });
  return { poller, timers, received, asked };
}

describe(InboxPoller.name, () => {
  it('asks for everything after the last seq handled', async () => {
    const { poller, received, asked } = setup(async (since) => ({ messages: [stored(since + 1)], next: since + 1 }));
    await poller.pollNow();
    await poller.pollNow();
    expect(asked).toEqual([0, 1]);
    expect(received).toEqual([1, 2]);
  });

  it('reads full pages until the inbox is read to its end', async () => {
    const full = Array.from({ length: 500 }, (_, i) => stored(i + 1));
    const { poller, received, asked } = setup(async (since) =>
      since === 0 ? { messages: full, next: 500 } : { messages: [stored(501)], next: 501 },
    );
    await poller.pollNow();
    expect(asked).toEqual([0, 500]);
    expect(received).toHaveLength(501);
  });

  it('shrugs off a failed poll and polls again at the next interval', async () => {
    let fail = true;
    const { poller, timers, asked } = setup(async (since) => {
      if (fail) {
        throw new Error('offline');
      }
      return { messages: [], next: since };
    });
    poller.start();
    timers.advance(30_000);
    await settled();
    fail = false;
    timers.advance(30_000);
    expect(asked).toEqual([0, 0]);
    poller.stop();
    timers.advance(90_000);
    expect(asked).toHaveLength(2);
  });

  it('shares one run between overlapping calls', async () => {
    const { poller, asked } = setup(async (since) => ({ messages: [], next: since }));
    await Promise.all([poller.pollNow(), poller.pollNow()]);
    expect(asked).toEqual([0]);
  });
});

import type { InboxPage, StoredMessage } from '@kez/protocol';

import { FakeTimers } from '../testing/fake-timers';
import { InboxPoller } from './inbox-poller';

/** Lets every pending promise callback run (real macrotask; the poller's timers are fake). */
const settled = () => new Promise((resolve) => setTimeout(resolve, 0));
const stored = (seq: number): StoredMessage => ({ seq, envelope: { v: 2 }, created_at: 1 });

/** An inbox of seqs 1…count, answered `perPage` messages at a time, like the server's pages. */
function pagedInbox(count: number, perPage: number): (since: number) => Promise<InboxPage> {
  const inbox = Array.from({ length: count }, (_, i) => stored(i + 1));
  return async (since) => {
    const messages = inbox.filter((message) => message.seq > since).slice(0, perPage);
    return { messages, next: messages.at(-1)?.seq ?? since };
  };
}

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
    let newest = 1;
    const { poller, received, asked } = setup(async (since) =>
      since < newest ? { messages: [stored(since + 1)], next: since + 1 } : { messages: [], next: since },
    );
    await poller.pollNow();
    newest = 2;
    await poller.pollNow();
    expect(asked).toEqual([0, 1, 1, 2]);
    expect(received).toEqual([1, 2]);
  });

  it('reads pages until an empty one says the inbox is read to its end', async () => {
    const { poller, received, asked } = setup(pagedInbox(501, 500));
    await poller.pollNow();
    expect(asked).toEqual([0, 500, 501]);
    expect(received).toHaveLength(501);
  });

  it('keeps reading after a short page, because pages are also capped by bytes', async () => {
    // Three messages per page, as when large envelopes fill the byte cap long before the count limit.
    const { poller, received, asked } = setup(pagedInbox(7, 3));
    await poller.pollNow();
    expect(received).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(asked).toEqual([0, 3, 6, 7]);
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

import type { StoredMessage } from '@kez/protocol';

import { FakeEventSource } from '../testing/fake-event-source';
import { FakeTimers } from '../testing/fake-timers';
import { Backoff, RECONNECT_BACKOFF } from './backoff';
import { InboxStream } from './inbox-stream';
import type { LinkStatus } from './link-status';

function setup() {
  const timers = new FakeTimers();
  const sources: FakeEventSource[] = [];
  const statuses: LinkStatus[] = [];
  const received: StoredMessage[] = [];
  let since = 0;
  let signed = 0;
  const stream = new InboxStream({
    // Each URL carries a fresh "auth" so the test can see that it was signed again.
    url: (from) => `/stream?auth=${++signed}&since=${from}`,
    since: () => since,
    onMessage: (message) => {
      received.push(message);
      since = message.seq;
    },
    onStatus: (status) => statuses.push(status),
    connect: (url) => {
      const source = new FakeEventSource(url);
      sources.push(source);
      return source;
    },
    timers,
    backoff: new Backoff({ ...RECONNECT_BACKOFF, jitter: 0 }),
  });
  const last = () => sources.at(-1)!;
  return { stream, timers, sources, statuses, received, last };
}

const message = (seq: number) => JSON.stringify({ seq, envelope: { v: 2 }, created_at: 1 });

describe(InboxStream.name, () => {
  it('is live once the stream opens and hands over each message', () => {
    const { stream, statuses, received, last } = setup();
    stream.start();
    expect(stream.status).toBe('connecting');
    last().fireOpen();
    last().fireMessage(message(1));
    expect(statuses).toEqual(['live']);
    expect(received.map((m) => m.seq)).toEqual([1]);
  });

  it('counts an open stream as lost when the network goes, and reconnects at once when asked', () => {
    const { stream, sources, statuses, last } = setup();
    stream.start();
    last().fireOpen();
    stream.lost();
    expect(sources[0]!.closed).toBe(true);
    expect(statuses).toEqual(['live', 'reconnecting']);
    stream.reconnectNow();
    expect(sources).toHaveLength(2);
    last().fireOpen();
    expect(statuses).toEqual(['live', 'reconnecting', 'live']);
    // Nothing to lose while no stream is open.
    stream.stop();
    stream.lost();
    expect(statuses).toEqual(['live', 'reconnecting', 'live']);
  });

  it('on error closes the source itself and reconnects later with a fresh auth and since', () => {
    const { stream, timers, sources, statuses, last } = setup();
    stream.start();
    last().fireOpen();
    last().fireMessage(message(4));
    last().fireError();
    expect(sources[0]!.closed).toBe(true);
    expect(statuses).toEqual(['live', 'reconnecting']);
    expect(sources).toHaveLength(1);
    timers.advance(499);
    expect(sources).toHaveLength(1);
    timers.advance(1);
    expect(sources).toHaveLength(2);
    expect(last().url).toBe('/stream?auth=2&since=4');
    last().fireOpen();
    expect(statuses).toEqual(['live', 'reconnecting', 'live']);
  });

  it('backs off further while the server stays away, and starts over once it is back', () => {
    const { stream, timers, last } = setup();
    stream.start();
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      last().fireError();
      waits.push(timers.delays()[0]!);
      timers.advance(waits.at(-1)!);
    }
    expect(waits).toEqual([500, 1000, 2000, 4000]);
    last().fireOpen();
    last().fireError();
    expect(timers.delays()).toEqual([500]);
  });

  it('gives up on a connection that never opens', () => {
    const { stream, timers, sources } = setup();
    stream.start();
    timers.advance(20_000);
    expect(sources[0]!.closed).toBe(true);
    expect(stream.status).toBe('reconnecting');
  });

  it('ignores anything a replaced source still sends', () => {
    const { stream, timers, sources, received, statuses } = setup();
    stream.start();
    sources[0]!.fireError();
    timers.advance(500);
    sources[0]!.fireMessage(message(9));
    sources[0]!.fireOpen();
    expect(received).toEqual([]);
    expect(statuses).toEqual(['reconnecting']);
  });

  it('skips data that is not a stored message', () => {
    const { stream, received, last } = setup();
    stream.start();
    last().fireOpen();
    last().fireMessage('not json');
    last().fireMessage(JSON.stringify({ seq: 'x' }));
    last().fireMessage(message(2));
    expect(received.map((m) => m.seq)).toEqual([2]);
  });

  it('reconnects at once when asked, instead of waiting out the backoff', () => {
    const { stream, sources, last } = setup();
    stream.start();
    last().fireError();
    stream.reconnectNow();
    expect(sources).toHaveLength(2);
    // While a source is open or opening, there is nothing to skip.
    stream.reconnectNow();
    expect(sources).toHaveLength(2);
  });

  it('stops for good', () => {
    const { stream, timers, sources, last } = setup();
    stream.start();
    last().fireError();
    stream.stop();
    timers.advance(60_000);
    expect(sources).toHaveLength(1);
  });
});

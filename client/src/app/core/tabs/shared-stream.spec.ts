import { FakeEventSource } from '../testing/fake-event-source';
import { FakeLocks, FakeTabHub } from '../testing/fake-tabs';
import type { EventSourceLike } from '../transport/inbox-stream';
import { newConversation } from '../chat/model';
import { SharedStream } from './shared-stream';

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

function watch(source: EventSourceLike) {
  const seen = { opened: 0, errors: 0, data: [] as string[] };
  source.onopen = () => seen.opened++;
  source.onerror = () => seen.errors++;
  source.addEventListener('message', (event) => seen.data.push(event.data));
  return seen;
}

describe('SharedStream', () => {
  let hub: FakeTabHub;
  let locks: FakeLocks;
  let real: FakeEventSource[];
  const connect = (url: string) => {
    const source = new FakeEventSource(url);
    real.push(source);
    return source;
  };

  /** A tab, opened once it knows its role; the first tab opened leads. */
  async function openTab(leads: boolean): Promise<SharedStream> {
    const stream = new SharedStream(connect, hub.join(), locks, 'kez-stream');
    await (leads ? stream.leading : stream.decided);
    return stream;
  }

  /** Three tabs opened one after the other: the first leads. */
  async function threeTabs(): Promise<[SharedStream, SharedStream, SharedStream]> {
    return [await openTab(true), await openTab(false), await openTab(false)];
  }

  beforeEach(() => {
    hub = new FakeTabHub();
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
    const [first, second, third] = await threeTabs();
    const heard: { tab: string; ids: readonly string[] }[] = [];
    for (const [tab, stream] of [
      ['first', first],
      ['second', second],
      ['third', third],
    ] as const) {
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

  it("hands a follower's outbox requests to the leader alone, keeping those that came before it listened", async () => {
    const [first, second, third] = await threeTabs();
    second.requestOutbox({ kind: 'wake' });
    await tick();
    const heard: string[] = [];
    first.onOutboxRequest((request) => heard.push(`first:${request.kind}`));
    third.onOutboxRequest((request) => heard.push(`third:${request.kind}`));
    third.requestOutbox({ kind: 'wake' });
    // The leader asks nobody: its own outbox runs.
    first.requestOutbox({ kind: 'wake' });
    await tick();
    expect(heard).toEqual(['first:wake', 'first:wake']);
  });

  it("tells the followers what the leader's outbox settled, and only the leader's", async () => {
    const first = new SharedStream(connect, hub.join(), locks, 'kez-stream');
    await first.leading;
    const second = new SharedStream(connect, hub.join(), locks, 'kez-stream');
    await second.decided;
    const heard: string[] = [];
    first.onSettled((message) => heard.push(`first:${message.id}`));
    second.onSettled((message) => heard.push(`second:${message.id}`));
    const conversation = newConversation('ed25519:peer', 'bob', 'chat.test', 1);
    const message = { id: 'm1', peer: 'ed25519:peer', direction: 'out', body: 'hi', sentAt: 1, order: 2, status: 'sent' } as const;
    first.shareSettled(message, conversation);
    second.shareSettled({ ...message, id: 'm2' }, conversation);
    await tick();
    expect(heard).toEqual(['second:m1']);
  });
});

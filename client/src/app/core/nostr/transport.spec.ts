import type { MessageContent, OpenedMessage } from '@kez/crypto';

import {
  type Arrival,
  type ArrivalListener,
  arrivalKey,
  MergedTransport,
  mergeReports,
  type MessageTransport,
  type PeerAddress,
  type SendOptions,
  type SendReport,
} from './transport';

const alice = `ed25519:${'a'.repeat(64)}`;
const bob = `ed25519:${'b'.repeat(64)}`;
const peer: PeerAddress = { primary: bob, addr: 'c'.repeat(64) };

function opened(from: string, id: string, body = 'hello'): OpenedMessage {
  return { v: 2, from, to: bob, id, sent_at: 1_800_000_000, body, extra: {} };
}

/** A transport whose sends answer what the test scripted, and whose arrivals the test pushes. */
class FakeTransport implements MessageTransport {
  readonly sent: { peer: PeerAddress; content?: MessageContent; ids?: readonly string[] }[] = [];
  started = false;
  private readonly listeners = new Set<ArrivalListener>();
  private release: (() => void) | undefined;

  constructor(
    readonly name: string,
    private readonly answer: 'accept' | 'refuse' | 'throw' | 'hold',
  ) {}

  failStart = false;

  async start(): Promise<void> {
    if (this.failStart) {
      throw new Error(`${this.name} is down`);
    }
    this.started = true;
  }

  stop(): void {
    this.started = false;
  }

  async sendMessage(to: PeerAddress, content: MessageContent & { id: string }, options: SendOptions = {}): Promise<SendReport> {
    this.sent.push({ peer: to, content });
    return this.respond(options);
  }

  async sendReceipt(to: PeerAddress, ids: readonly string[], options: SendOptions = {}): Promise<SendReport> {
    this.sent.push({ peer: to, ids });
    return this.respond(options);
  }

  onArrival(listener: ArrivalListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  push(arrival: Arrival): void {
    for (const listener of this.listeners) {
      listener(arrival);
    }
  }

  /** Lets a held send answer. */
  finish(): void {
    this.release?.();
  }

  private async respond(options: SendOptions): Promise<SendReport> {
    if (this.answer === 'throw') {
      throw new Error('offline');
    }
    if (this.answer === 'refuse') {
      return { accepted: [], refused: [{ path: this.name, reason: 'rate limited' }] };
    }
    if (this.answer === 'hold') {
      await new Promise<void>((resolve) => (this.release = resolve));
    }
    options.onAccepted?.(this.name);
    return { first: this.name, accepted: [this.name], refused: [] };
  }
}

describe(MergedTransport.name, () => {
  it('hands a message carried by two paths on once, keyed by sender and id inside the envelope', async () => {
    const home = new FakeTransport('home', 'accept');
    const relays = new FakeTransport('nostr', 'accept');
    const merged = new MergedTransport([home, relays]);
    const arrivals: Arrival[] = [];
    merged.onArrival((arrival) => arrivals.push(arrival));
    await merged.start();
    expect(home.started && relays.started).toBe(true);

    relays.push({ kind: 'message', message: opened(alice, 'm1'), path: 'wss://r.example/', carriedAt: 1 });
    home.push({ kind: 'message', message: opened(alice, 'm1'), path: 'home', carriedAt: 2 });
    // Same id from another sender is another message.
    home.push({ kind: 'message', message: opened(bob, 'm1'), path: 'home', carriedAt: 3 });
    expect(arrivals.map((arrival) => arrival.kind === 'message' && [arrival.message.from, arrival.path])).toEqual([
      [alice, 'wss://r.example/'],
      [bob, 'home'],
    ]);
  });

  it('passes every receipt on (they are idempotent) and dedupes NIP-17 DMs by rumor id', async () => {
    const relays = new FakeTransport('nostr', 'accept');
    const merged = new MergedTransport([relays]);
    const arrivals: Arrival[] = [];
    merged.onArrival((arrival) => arrivals.push(arrival));
    await merged.start();
    relays.push({ kind: 'receipt', from: alice, ids: ['m1'], path: 'a' });
    relays.push({ kind: 'receipt', from: alice, ids: ['m1'], path: 'b' });
    const dm = { id: 'd'.repeat(64), from: 'e'.repeat(64), to: ['f'.repeat(64)], text: 'hi', createdAt: 1 };
    relays.push({ kind: 'nostr-dm', dm, path: 'a' });
    relays.push({ kind: 'nostr-dm', dm, path: 'b' });
    expect(arrivals.map((arrival) => arrival.kind)).toEqual(['receipt', 'receipt', 'nostr-dm']);
  });

  it('starts with the paths that can, and fails only when none can', async () => {
    const home = new FakeTransport('home', 'accept');
    const relays = new FakeTransport('nostr', 'accept');
    home.failStart = true;
    const merged = new MergedTransport([home, relays]);
    const arrivals: Arrival[] = [];
    merged.onArrival((arrival) => arrivals.push(arrival));
    await merged.start();
    relays.push({ kind: 'receipt', from: alice, ids: ['m1'], path: 'r' });
    expect(arrivals).toHaveLength(1);
    merged.stop();

    relays.failStart = true;
    await expect(new MergedTransport([home, relays]).start()).rejects.toThrow('no path could start (home+nostr)');
  });

  it('stops handing arrivals on after stop()', async () => {
    const relays = new FakeTransport('nostr', 'accept');
    const merged = new MergedTransport([relays]);
    const arrivals: Arrival[] = [];
    merged.onArrival((arrival) => arrivals.push(arrival));
    await merged.start();
    merged.stop();
    relays.push({ kind: 'message', message: opened(alice, 'm2'), path: 'x', carriedAt: 1 });
    expect(arrivals).toEqual([]);
    expect(relays.started).toBe(false);
  });

  it('sends through every path and reports the real first accepter, each acceptance and each refusal', async () => {
    const slow = new FakeTransport('home', 'hold');
    const fast = new FakeTransport('nostr', 'accept');
    const broken = new FakeTransport('other', 'throw');
    const merged = new MergedTransport([slow, fast, broken]);
    const accepted: string[] = [];
    const sending = merged.sendMessage(peer, { id: 'm1', body: 'hello' }, { onAccepted: (path) => accepted.push(path) });
    await new Promise((resolve) => setTimeout(resolve, 0));
    slow.finish();
    const report = await sending;
    expect(report).toEqual({ first: 'nostr', accepted: ['home', 'nostr'], refused: [{ path: 'other', reason: 'offline' }] });
    expect(accepted).toEqual(['nostr', 'home']);
    expect(fast.sent).toEqual([{ peer, content: { id: 'm1', body: 'hello' } }]);
    expect(slow.sent).toHaveLength(1);
  });

  it('reports a receipt refused everywhere with no first accepter', async () => {
    const merged = new MergedTransport([new FakeTransport('home', 'refuse'), new FakeTransport('nostr', 'refuse')]);
    expect(await merged.sendReceipt(peer, ['m1'])).toEqual({
      accepted: [],
      refused: [
        { path: 'home', reason: 'rate limited' },
        { path: 'nostr', reason: 'rate limited' },
      ],
    });
  });
});

describe(arrivalKey.name, () => {
  it('names sender and id for messages, the rumor for DMs, nothing for receipts', () => {
    expect(arrivalKey({ kind: 'message', message: opened(alice, 'x'), path: 'home', carriedAt: 0 })).toBe(`kez\n${alice}\nx`);
    expect(arrivalKey({ kind: 'receipt', from: alice, ids: ['x'], path: 'home' })).toBeUndefined();
  });
});

describe(mergeReports.name, () => {
  it('concatenates accepters and refusals', () => {
    expect(
      mergeReports([
        { accepted: [], refused: [{ path: 'home', reason: 'down' }] },
        { first: 'r', accepted: ['r'], refused: [] },
      ]),
    ).toEqual({
      first: 'r',
      accepted: ['r'],
      refused: [{ path: 'home', reason: 'down' }],
    });
  });
});

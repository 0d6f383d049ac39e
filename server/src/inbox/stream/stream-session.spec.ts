import type { InboxEvent } from '../../broker/broker';
import type { StoredRow } from '../message-store';
import { type EventSink, StreamSession } from './stream-session';

/** A stream that records what it was sent; `backlogged` can be switched on to make it wait. */
class FakeSink implements EventSink {
  readonly sent: number[] = [];
  isClosed = false;
  backlogged = false;
  destroyed = false;
  private waiting: (() => void)[] = [];

  event(id: number, data: string): void {
    expect(JSON.parse(data).seq).toBe(id);
    this.sent.push(id);
  }

  drained(): Promise<void> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  drain(): void {
    this.backlogged = false;
    this.waiting.splice(0).forEach((resolve) => resolve());
  }

  destroy(): void {
    this.destroyed = true;
    this.isClosed = true;
  }
}

/** One recipient's table: seqs with their predecessor, pages of `pageSize`. */
class FakeInbox {
  readonly rows: StoredRow[] = [];
  reads = 0;
  constructor(private readonly pageSize = 2) {}

  add(...seqs: number[]): InboxEvent[] {
    return seqs.map((seq) => {
      const prev = this.rows.length > 0 ? this.rows[this.rows.length - 1].seq : 0;
      this.rows.push({ seq, createdAt: 1, envelope: `{"n":${seq}}` });
      return { seq, prev, envelope: { n: seq }, created_at: 1 };
    });
  }

  page = (since: number): Promise<StoredRow[]> => {
    this.reads++;
    return Promise.resolve(this.rows.filter((row) => row.seq > since).slice(0, this.pageSize));
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe(StreamSession.name, () => {
  let sink: FakeSink;
  let inbox: FakeInbox;
  let errors: unknown[];
  let session: StreamSession;

  beforeEach(() => {
    sink = new FakeSink();
    inbox = new FakeInbox();
    errors = [];
    session = new StreamSession(sink, inbox.page, (error) => errors.push(error));
  });

  it('sends the backlog after the cursor page by page, then live events', async () => {
    inbox.add(1, 2, 3, 4, 5);
    await session.start(2);
    expect(sink.sent).toEqual([3, 4, 5]);
    const [live] = inbox.add(8);
    session.offer(live);
    expect(sink.sent).toEqual([3, 4, 5, 8]);
  });

  it('reads events that arrive during the backlog from the database, with no gap or duplicate', async () => {
    inbox.add(1, 2, 3);
    const started = session.start(0);
    // Committed and published while the first page is being sent.
    const during = inbox.add(4, 5);
    during.forEach((event) => session.offer(event));
    await started;
    during.forEach((event) => session.offer(event));
    expect(sink.sent).toEqual([1, 2, 3, 4, 5]);
  });

  it('drops events it already sent or that are not after the cursor', async () => {
    const events = inbox.add(1, 2);
    await session.start(1);
    events.forEach((event) => session.offer(event));
    expect(sink.sent).toEqual([2]);
  });

  it('catches up from the database when a live event shows one was missed', async () => {
    await session.start(0);
    const [first, second, third] = inbox.add(4, 6, 9);
    // The broker delivers 6 late and 9 early: 9's prev (6) is past the cursor.
    session.offer(first);
    session.offer(third);
    await settle();
    session.offer(second);
    expect(sink.sent).toEqual([4, 6, 9]);
  });

  it('treats a cursor ahead of a predecessor as no gap (a since between two seqs)', async () => {
    inbox.add(3, 10);
    await session.start(5);
    expect(sink.sent).toEqual([10]);
    const [next] = inbox.add(11);
    session.offer(next);
    expect(sink.sent).toEqual([10, 11]);
    expect(inbox.reads).toBe(2);
  });

  it('waits for the client to drain before sending more of a backlog', async () => {
    inbox.add(1, 2, 3);
    sink.backlogged = true;
    const started = session.start(0);
    await settle();
    expect(sink.sent).toEqual([1]);
    sink.drain();
    await started;
    expect(sink.sent).toEqual([1, 2, 3]);
  });

  it('stops when the stream closes and reports a database failure by closing the stream', async () => {
    inbox.add(1, 2, 3);
    sink.isClosed = true;
    await session.start(0);
    expect(sink.sent).toEqual([]);
    expect(errors).toEqual([]);

    const failing = new StreamSession(
      sink,
      () => Promise.reject(new Error('db gone')),
      (error) => errors.push(error),
    );
    sink.isClosed = false;
    await failing.start(0);
    expect(errors).toHaveLength(1);
    expect(sink.destroyed).toBe(true);
  });
});

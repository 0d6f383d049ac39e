import type { InboxEvent } from '../../broker/broker';
import { messageJson, storedMessageJson } from '../message-json';
import type { StoredRow } from '../message-store';

/** What a session needs from the stream it writes (an SseWriter). */
export interface EventSink {
  readonly isClosed: boolean;
  readonly backlogged: boolean;
  event(id: number, data: string): void;
  drained(): Promise<void>;
  destroy(reason: 'server'): void;
}

/** One recipient's stored messages after `since`, ascending, a page at a time; empty when there is nothing newer. */
export type PageSource = (since: number) => Promise<StoredRow[]>;

/**
 * Delivers one recipient's messages to one stream in `seq` order, with no gap and
 * no duplicate, from two sources: the database (the backlog after `since`, and any
 * catch-up) and the broker (live events). The broker subscription is open before
 * the first read, and everything is filtered by the cursor (the last seq sent):
 *
 * - While reading from the database, live events are not buffered: they only note
 *   that another pass is needed, and the next pass reads them from the database.
 *   A slow client therefore costs one page of memory, whatever it is sent.
 * - Live, an event is written straight away when it follows the cursor (its `prev`
 *   is at most the cursor). When its `prev` is newer, an earlier message is still
 *   on its way (a broker across instances may reorder or drop): the session reads
 *   from the database instead, which holds one recipient's messages in commit order.
 */
export class StreamSession {
  private cursor = 0;
  private reading = true;
  private again = false;

  constructor(
    private readonly sink: EventSink,
    private readonly nextPage: PageSource,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Sends every stored message after `cursor`, then live ones. Events offered before this only mark a pass as needed. */
  start(cursor: number): Promise<void> {
    this.cursor = cursor;
    return this.readFromDatabase();
  }

  /** A live event from the broker; never throws, never waits. */
  offer(event: InboxEvent): void {
    if (this.sink.isClosed || event.seq <= this.cursor) {
      return;
    }
    if (this.reading) {
      this.again = true;
      return;
    }
    if (event.prev > this.cursor) {
      void this.readFromDatabase();
      return;
    }
    this.sink.event(event.seq, storedMessageJson(event));
    this.cursor = event.seq;
  }

  private async readFromDatabase(): Promise<void> {
    this.reading = true;
    try {
      do {
        this.again = false;
        while (await this.sendNextPage()) {
          // until a page comes back empty
        }
      } while (this.again && !this.sink.isClosed);
    } catch (error) {
      this.fail(error);
    } finally {
      this.reading = false;
    }
  }

  /** Sends one page, pausing while the client catches up; false when there was nothing to send. */
  private async sendNextPage(): Promise<boolean> {
    const rows = await this.nextPage(this.cursor);
    for (const row of rows) {
      if (this.sink.isClosed) {
        return false;
      }
      if (row.seq <= this.cursor) {
        continue;
      }
      this.sink.event(row.seq, messageJson(row.seq, row.envelope, row.createdAt));
      this.cursor = row.seq;
      if (this.sink.backlogged) {
        await this.sink.drained();
      }
    }
    return rows.length > 0 && !this.sink.isClosed;
  }

  private fail(error: unknown): void {
    // Errors after the stream closed (e.g. the database closing at shutdown) are expected.
    if (!this.sink.isClosed) {
      this.onError(error);
      this.sink.destroy('server');
    }
  }
}

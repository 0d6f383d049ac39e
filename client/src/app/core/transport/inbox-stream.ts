import type { StoredMessage } from '@kez/protocol';

import { parseStoredMessage } from '../api/records';
import { Backoff } from './backoff';
import type { LinkStatus } from './link-status';
import { browserTimers, type Timers } from './timers';

/** The part of the browser's EventSource this stream uses. */
export interface EventSourceLike {
  onopen: ((event: Event) => void) | null;
  onerror: ((event: Event) => void) | null;
  addEventListener(type: 'message', listener: (event: MessageEvent<string>) => void): void;
  close(): void;
}

export type EventSourceFactory = (url: string) => EventSourceLike;

export interface InboxStreamOptions {
  /** The stream URL resuming after `since`, with an auth signed just now. */
  url(since: number): string;
  /** The last seq the app has handled: where a new connection resumes. */
  since(): number;
  onMessage(message: StoredMessage): void;
  onStatus(status: LinkStatus): void;
  connect: EventSourceFactory;
  timers?: Timers;
  backoff?: Backoff;
  /** A connection that has not opened by then is given up and retried. */
  openTimeoutMs?: number;
}

/**
 * `GET /v1/inbox/<handle>/stream` kept open. EventSource's own reconnect is never
 * used: it would resend the URL it started with, whose auth is stale after 60 s.
 * On any error the source is closed and a new one opened after a backoff, with a
 * fresh auth and `since` = the last seq handled, so nothing is missed in between.
 */
export class InboxStream {
  private readonly timers: Timers;
  private readonly backoff: Backoff;
  private source: EventSourceLike | null = null;
  private timer: unknown = null;
  private running = false;
  private statusValue: LinkStatus = 'connecting';

  constructor(private readonly options: InboxStreamOptions) {
    this.timers = options.timers ?? browserTimers;
    this.backoff = options.backoff ?? new Backoff();
  }

  get status(): LinkStatus {
    return this.statusValue;
  }

  start(): void {
    if (this.running) {
      return;
    }
    this.running = true;
    this.setStatus('connecting');
    this.open();
  }

  stop(): void {
    this.running = false;
    this.drop();
    this.clearTimer();
  }

  /** Skips the rest of a backoff wait, e.g. when the browser reports it is online again. */
  reconnectNow(): void {
    if (this.running && this.source === null) {
      this.clearTimer();
      this.open();
    }
  }

  /**
   * The browser says the network is gone (`offline`). An open EventSource can stay
   * silent for minutes before it errors, so the stream is counted as lost now: the
   * link shows "reconnecting" and a new stream is tried after the backoff (or at once
   * on `reconnectNow`, when the network is back).
   */
  lost(): void {
    if (this.running && this.source !== null) {
      this.fail(this.source);
    }
  }

  private open(): void {
    const source = this.options.connect(this.options.url(this.options.since()));
    this.source = source;
    this.timer = this.timers.setTimeout(() => this.fail(source), this.options.openTimeoutMs ?? 20_000);
    source.onopen = () => {
      if (this.source === source) {
        this.clearTimer();
        this.backoff.reset();
        this.setStatus('live');
      }
    };
    source.onerror = () => this.fail(source);
    source.addEventListener('message', (event) => {
      if (this.source === source) {
        this.deliver(event.data);
      }
    });
  }

  private deliver(data: string): void {
    let body: unknown;
    try {
      body = JSON.parse(data);
    } catch {
      return;
    }
    const message = parseStoredMessage(body);
    if (message !== null) {
      this.options.onMessage(message);
    }
  }

  private fail(source: EventSourceLike): void {
    if (this.source !== source) {
      return;
    }
    this.drop();
    this.clearTimer();
    if (!this.running) {
      return;
    }
    this.setStatus('reconnecting');
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      this.open();
    }, this.backoff.next());
  }

  private drop(): void {
    const source = this.source;
    this.source = null;
    if (source !== null) {
      source.onopen = null;
      source.onerror = null;
      source.close();
    }
  }

  private clearTimer(): void {
    if (this.timer !== null) {
      this.timers.clearTimeout(this.timer);
      this.timer = null;
    }
  }

  private setStatus(status: LinkStatus): void {
    if (status !== this.statusValue) {
      this.statusValue = status;
      this.options.onStatus(status);
    }
  }
}

import type { InboxPage, StoredMessage } from '@kez/protocol';

import { browserTimers, type Timers } from './timers';

export interface InboxPollerOptions {
  /** One signed `GET /v1/inbox/<handle>?since=&limit=`; the page may be cut short by its byte cap. */
  fetchPage(since: number): Promise<InboxPage>;
  since(): number;
  onMessage(message: StoredMessage): void;
  intervalMs: number;
  timers?: Timers;
}

/** Pages one poll may read before it yields to the next interval. */
const MAX_PAGES_PER_POLL = 20;

/**
 * The safety net under the stream: every `intervalMs` it asks for everything after
 * the last seq handled. A stream can die silently (a proxy drops it without an error
 * the browser sees); this catches up within one interval. Failures are ignored:
 * the stream's status already tells the person whether the server answers.
 */
export class InboxPoller {
  private readonly timers: Timers;
  private timer: unknown = null;
  private running = false;
  private polling: Promise<void> | null = null;

  constructor(private readonly options: InboxPollerOptions) {
    this.timers = options.timers ?? browserTimers;
  }

  start(): void {
    if (!this.running) {
      this.running = true;
      this.schedule();
    }
  }

  stop(): void {
    this.running = false;
    if (this.timer !== null) {
      this.timers.clearTimeout(this.timer);
      this.timer = null;
    }
  }

  /** Polls now; concurrent calls share one run. */
  pollNow(): Promise<void> {
    this.polling ??= this.poll().finally(() => (this.polling = null));
    return this.polling;
  }

  private schedule(): void {
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      void this.pollNow().finally(() => {
        if (this.running) {
          this.schedule();
        }
      });
    }, this.options.intervalMs);
  }

  private async poll(): Promise<void> {
    let since = this.options.since();
    for (let page = 0; page < MAX_PAGES_PER_POLL; page++) {
      let result: InboxPage;
      try {
        result = await this.options.fetchPage(since);
      } catch {
        return;
      }
      for (const message of result.messages) {
        this.options.onMessage(message);
      }
      // Only an empty page means the inbox is read to its end: the server also caps
      // a page by bytes, so a page shorter than the limit may have more behind it.
      if (result.messages.length === 0 || result.next <= since) {
        return;
      }
      since = result.next;
    }
  }
}

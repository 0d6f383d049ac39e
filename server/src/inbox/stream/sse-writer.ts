import type { ServerResponse } from 'node:http';

export interface SseLimits {
  /** Longest silence before a comment line. */
  keepaliveMs: number;
  /** Unsent bytes (ours and the socket's) beyond which the client is too far behind: the stream is closed. */
  maxQueuedBytes: number;
  /** A client that has left data unsent this long, reading nothing, is gone: the stream is closed. */
  stallMs: number;
}

export type CloseReason = 'client' | 'behind' | 'stalled' | 'server';

export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  // nginx and others buffer proxied responses unless told not to.
  'x-accel-buffering': 'no',
  connection: 'keep-alive',
} as const;

/**
 * One `text/event-stream` response on the raw Node response. Memory per stream
 * is bounded: what the client leaves unread counts against `maxQueuedBytes`, and
 * a stream over it is destroyed (its queued data dropped), never buffered further.
 * The client then reconnects with the last id it got, and nothing is lost.
 */
export class SseWriter {
  private done = false;
  private keepalive?: NodeJS.Timeout;
  /** Last time nothing was waiting to be sent. */
  private lastEmptyAt = Date.now();
  private reason: CloseReason = 'client';
  readonly closed: Promise<CloseReason>;

  constructor(
    private readonly res: ServerResponse,
    private readonly limits: SseLimits,
  ) {
    this.closed = new Promise((resolve) => {
      const onClose = () => {
        this.finish();
        resolve(this.reason);
      };
      if (res.destroyed) {
        onClose();
      } else {
        res.once('close', onClose);
      }
    });
    // A write racing a reset connection reports here; 'close' follows and cleans up.
    res.on('error', () => undefined);
    res.on('drain', () => (this.lastEmptyAt = Date.now()));
  }

  get isClosed(): boolean {
    return this.done;
  }

  /** Past the socket's high-water mark: wait for `drained()` before writing more from a backlog. */
  get backlogged(): boolean {
    return this.res.writableNeedDrain;
  }

  /** Sends the status line and headers, and starts the keep-alive clock. */
  open(): void {
    if (this.done) {
      return;
    }
    this.res.writeHead(200, SSE_HEADERS);
    this.keepalive = setTimeout(() => this.onIdle(), this.limits.keepaliveMs);
    this.write(': connected\n\n');
  }

  event(id: number, data: string): void {
    this.write(`id: ${id}\nevent: message\ndata: ${data}\n\n`);
  }

  /** Resolves when the client took what was queued, or the stream closed. */
  drained(): Promise<void> {
    if (this.done || !this.res.writableNeedDrain) {
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const settle = () => {
        this.res.off('drain', settle);
        this.res.off('close', settle);
        resolve();
      };
      this.res.once('drain', settle);
      this.res.once('close', settle);
    });
  }

  /** Ends the response after what is queued (server shutdown). */
  end(): void {
    if (!this.done) {
      this.reason = 'server';
      this.finish();
      this.res.end();
    }
  }

  /** Drops the connection and whatever is queued for it. */
  destroy(reason: CloseReason): void {
    if (!this.done) {
      this.reason = reason;
      this.finish();
      this.res.destroy();
    }
  }

  private write(chunk: string): void {
    if (this.done) {
      return;
    }
    if (this.res.writableLength === 0) {
      this.lastEmptyAt = Date.now();
    }
    this.res.write(chunk);
    this.keepalive?.refresh();
    if (this.res.writableLength > this.limits.maxQueuedBytes) {
      this.destroy('behind');
    }
  }

  private onIdle(): void {
    if (this.res.writableLength > 0 && Date.now() - this.lastEmptyAt >= this.limits.stallMs) {
      this.destroy('stalled');
      return;
    }
    this.write(': keep-alive\n\n');
  }

  private finish(): void {
    this.done = true;
    clearTimeout(this.keepalive);
  }
}

import { request } from 'node:http';

import { nowMs } from '../support/stats';
import type { StreamAuth } from './stream-auth';

/** Reconnections allowed per stream in one run: a server that keeps dropping streams fails the run instead of looping. */
const MAX_RECONNECTS = 20;
const RECONNECT_DELAY_MS = 100;
const OPEN_TIMEOUT_MS = 30_000;

export interface SseEventSink {
  /** One `message` event: its seq (`id`), whether it came after the last one, its `data`, and when its chunk arrived (epoch ms). */
  onMessage(seq: number, inOrder: boolean, data: string, arrivedAt: number): void;
  /** The server closed the stream or it failed; it is being reopened from the last seq. */
  onDrop(reason: string): void;
}

/**
 * One live stream of one handle, as a client that must not lose anything holds it:
 * opened with `since` (0 at first, then the last seq it got), so a dropped stream
 * resumes with no gap. Parses just enough SSE for `event: message` blocks.
 */
export class SseConnection {
  lastSeq = 0;
  private closed = false;
  private reconnects = 0;
  private abort?: () => void;

  constructor(
    private readonly base: URL,
    private readonly auth: StreamAuth,
    private readonly sink: SseEventSink,
  ) {}

  /** Resolves once the server answered 200 (and events will follow). */
  open(): Promise<void> {
    return new Promise((resolve, reject) => {
      const req = request({
        host: this.base.hostname,
        port: this.base.port,
        path: this.auth.path(this.lastSeq),
        headers: { accept: 'text/event-stream' },
        agent: false,
        timeout: OPEN_TIMEOUT_MS,
      });
      this.abort = () => req.destroy();
      let answered = false;
      req.on('timeout', () => req.destroy(new Error('no answer')));
      req.on('error', (error) => (answered ? this.dropped(error.message) : reject(error)));
      req.on('response', (res) => {
        answered = true;
        req.setTimeout(0);
        if (res.statusCode !== 200) {
          res.resume();
          reject(new Error(`stream of ${this.auth.key.handle} answered ${res.statusCode}`));
          return;
        }
        resolve();
        res.setEncoding('utf8');
        let buffer = '';
        res.on('data', (chunk: string) => {
          const arrivedAt = nowMs();
          buffer += chunk;
          for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
            this.parse(buffer.slice(0, end), arrivedAt);
            buffer = buffer.slice(end + 2);
          }
        });
        res.on('close', () => this.dropped('closed by the server'));
      });
      req.end();
    });
  }

  close(): void {
    this.closed = true;
    this.abort?.();
  }

  private parse(block: string, arrivedAt: number): void {
    if (block.startsWith(':')) {
      return;
    }
    let isMessage = false;
    let seq = NaN;
    let data: string | undefined;
    for (const line of block.split('\n')) {
      if (line === 'event: message') {
        isMessage = true;
      } else if (line.startsWith('id: ')) {
        seq = Number(line.slice(4));
      } else if (line.startsWith('data: ')) {
        data = line.slice(6);
      }
    }
    if (isMessage && data !== undefined) {
      const inOrder = seq > this.lastSeq;
      if (inOrder) {
        this.lastSeq = seq;
      }
      this.sink.onMessage(seq, inOrder, data, arrivedAt);
    }
  }

  private dropped(reason: string): void {
    if (this.closed) {
      return;
    }
    this.closed = true;
    this.sink.onDrop(reason);
    if (this.reconnects++ >= MAX_RECONNECTS) {
      return;
    }
    setTimeout(() => {
      this.closed = false;
      this.open().catch((error: unknown) => this.dropped(String(error)));
    }, RECONNECT_DELAY_MS);
  }
}

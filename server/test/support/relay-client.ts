import type { Event, Filter } from 'nostr-tools';
import { finalizeEvent } from 'nostr-tools/pure';
import { WebSocket } from 'ws';

import { rawText } from '../../src/relay/raw-text';
import { waitFor } from './wait-for';

type Frame = unknown[];

/**
 * A bare NIP-01 client over `ws` that records every frame the relay sends, so
 * tests can assert exact `OK`/`CLOSED` messages and prefixes (nostr-tools'
 * Relay hides some of them). Uses `nostr-tools` to sign.
 */
export class RawRelayClient {
  readonly frames: Frame[] = [];
  private closed = false;
  private firstChallenge?: string;

  private readonly closedWith: Promise<number>;

  private constructor(
    private readonly ws: WebSocket,
    readonly url: string,
  ) {
    ws.on('message', (data) => this.frames.push(JSON.parse(rawText(data)) as Frame));
    this.closedWith = new Promise((resolve) =>
      ws.on('close', (code) => {
        this.closed = true;
        resolve(code);
      }),
    );
  }

  /** The close code, once the connection is closed (by either side). */
  closeCode(): Promise<number> {
    return this.closedWith;
  }

  sendBinary(data: Buffer): void {
    this.ws.send(data, { binary: true });
  }

  static async connect(url: string, headers: Record<string, string> = {}): Promise<RawRelayClient> {
    const ws = new WebSocket(url, { headers });
    const client = new RawRelayClient(ws, url);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return client;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** The first recorded frame matching `match` (waiting for it), removed from the record so it is not found twice. */
  async next(what: string, match: (frame: Frame) => boolean): Promise<Frame> {
    let found: Frame | undefined;
    await waitFor(what, () => {
      const index = this.frames.findIndex(match);
      if (index >= 0) {
        found = this.frames.splice(index, 1)[0];
      }
      return found !== undefined;
    });
    return found!;
  }

  /** The connection's NIP-42 challenge (the first `AUTH` the relay sent). */
  async challenge(): Promise<string> {
    this.firstChallenge ??= (await this.next('the AUTH challenge', (f) => f[0] === 'AUTH'))[1] as string;
    return this.firstChallenge;
  }

  /** Sends AUTH signed by `secret` for `relayUrl` (this connection's URL by default); resolves the relay's OK `[accepted, message]`. */
  async auth(secret: Uint8Array, options: { relayUrl?: string; createdAt?: number; challenge?: string } = {}): Promise<[boolean, string]> {
    const challenge = options.challenge ?? (await this.challenge());
    const event = finalizeEvent(
      {
        kind: 22242,
        created_at: options.createdAt ?? Math.floor(Date.now() / 1000),
        tags: [
          ['relay', options.relayUrl ?? this.url],
          ['challenge', challenge],
        ],
        content: '',
      },
      secret,
    );
    this.send(['AUTH', event]);
    const ok = await this.next('OK for AUTH', (f) => f[0] === 'OK' && f[1] === event.id);
    return [ok[2] as boolean, ok[3] as string];
  }

  /** Publishes; resolves the relay's OK `[accepted, message]`. */
  async publish(event: Event): Promise<[boolean, string]> {
    this.send(['EVENT', event]);
    const ok = await this.next(`OK for ${event.id.slice(0, 8)}`, (f) => f[0] === 'OK' && f[1] === event.id);
    return [ok[2] as boolean, ok[3] as string];
  }

  /** Opens a subscription; resolves the stored events and how it ended (`EOSE`, or `CLOSED` with its message). */
  async req(id: string, ...filters: Filter[]): Promise<{ events: Event[]; end: 'EOSE' | 'CLOSED'; message?: string }> {
    this.send(['REQ', id, ...filters]);
    const end = await this.next(`EOSE or CLOSED for ${id}`, (f) => (f[0] === 'EOSE' || f[0] === 'CLOSED') && f[1] === id);
    const events: Event[] = [];
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const f = this.frames[i];
      if (f[0] === 'EVENT' && f[1] === id) {
        events.unshift(f[2] as Event);
        this.frames.splice(i, 1);
      }
    }
    return { events, end: end[0] as 'EOSE' | 'CLOSED', message: end[2] as string | undefined };
  }

  /** Live events received so far on subscription `id`. */
  liveEvents(id: string): Event[] {
    return this.frames.filter((f) => f[0] === 'EVENT' && f[1] === id).map((f) => f[2] as Event);
  }

  close(): void {
    this.ws.close();
  }
}

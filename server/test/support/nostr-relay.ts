import { type AddressInfo } from 'node:net';

import { type ClientContext, type Event, EventRepository, type Filter, type HandleMessageResult, type IncomingMessage } from '@nostr-relay/common';
import { NostrRelay } from '@nostr-relay/core';
import { AbstractRelay } from 'nostr-tools/abstract-relay';
import { WebSocket, WebSocketServer } from 'ws';

import { rawText } from '../../src/relay/raw-text';
import { waitFor } from './wait-for';

/** The smallest EventRepository @nostr-relay/core accepts: events in an array, NIP-01 filters including `#x` tags. */
class MemoryEventRepository extends EventRepository {
  private readonly events: Event[] = [];

  isSearchSupported(): boolean {
    return false;
  }

  upsert(event: Event): { isDuplicate: boolean } {
    if (this.events.some((stored) => stored.id === event.id)) {
      return { isDuplicate: true };
    }
    this.events.push(event);
    return { isDuplicate: false };
  }

  find(filter: Filter): Event[] {
    const found = this.events.filter((event) => matches(event, filter)).sort((a, b) => b.created_at - a.created_at);
    return filter.limit === undefined ? found : found.slice(0, filter.limit);
  }

  async destroy(): Promise<void> {
    this.events.length = 0;
  }
}

function matches(event: Event, filter: Filter): boolean {
  const tagFilters = Object.entries(filter).filter(([key, values]) => key.startsWith('#') && Array.isArray(values)) as [string, string[]][];
  return (
    (!filter.ids || filter.ids.includes(event.id)) &&
    (!filter.kinds || filter.kinds.includes(event.kind)) &&
    (!filter.authors || filter.authors.includes(event.pubkey)) &&
    (filter.since === undefined || event.created_at >= filter.since) &&
    (filter.until === undefined || event.created_at <= filter.until) &&
    tagFilters.every(([key, values]) => event.tags.some((tag) => tag[0] === key.slice(1) && values.includes(tag[1])))
  );
}

export interface TestRelayOptions {
  /** Every REQ from a client that has not authenticated gets `CLOSED auth-required:`. */
  requireAuth?: boolean;
  /** Every EVENT from a client that has not authenticated gets `OK false auth-required:`. */
  requireAuthToPublish?: boolean;
  /** When set, AUTH from any other pubkey is refused (`OK false restricted:`), as member-only relays do. */
  acceptAuthFrom?: string[];
  /** Restarts a relay where a stopped one was, to test reconnection. */
  port?: number;
}

/**
 * A real nostr relay (@nostr-relay/core, NIP-01 and NIP-42) on a loopback
 * WebSocket port. With `requireAuth`, it answers every REQ from a client that
 * has not authenticated with `CLOSED auth-required:` (NIP-42), like relays that
 * keep DMs for their authenticated users.
 */
export class TestRelay {
  /** The pubkeys that authenticated (NIP-42), in order. */
  readonly authenticated: string[] = [];
  /** Every REQ's filters, as received from authorised clients, with the connection it came on. */
  readonly subscriptions: { client: string; filters: Filter[] }[] = [];
  /** Open connections that came from a web page (they carry an `Origin` header; server-side clients do not). */
  private readonly pageSockets = new Set<WebSocket>();

  private constructor(
    private readonly relay: NostrRelay,
    private readonly wss: WebSocketServer,
    readonly url: string,
  ) {}

  static async start(options: TestRelayOptions = {}): Promise<TestRelay> {
    // hostname turns NIP-42 on: a challenge on connect, and AUTH events are checked against it.
    const relay = new NostrRelay(new MemoryEventRepository(), { hostname: '127.0.0.1', logLevel: 3 });
    const wss = new WebSocketServer({ host: '127.0.0.1', port: options.port ?? 0 });
    await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
    const testRelay = new TestRelay(relay, wss, `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
    relay.register({
      handleMessage: async (ctx: ClientContext, message: IncomingMessage, next: () => Promise<HandleMessageResult>) => {
        if (message[0] === 'REQ' && options.requireAuth && !ctx.pubkey) {
          ctx.sendMessage(['CLOSED', message[1], 'auth-required: this relay serves authenticated clients only']);
          return;
        }
        if (message[0] === 'EVENT' && options.requireAuthToPublish && !ctx.pubkey) {
          ctx.sendMessage(['OK', message[1].id, false, 'auth-required: this relay takes events from authenticated clients only']);
          return;
        }
        if (message[0] === 'AUTH' && options.acceptAuthFrom && !options.acceptAuthFrom.includes(message[1].pubkey)) {
          ctx.sendMessage(['OK', message[1].id, false, 'restricted: this key is not a member of this relay']);
          return;
        }
        const result = await next();
        if (message[0] === 'AUTH' && ctx.pubkey) {
          testRelay.authenticated.push(ctx.pubkey);
        }
        if (message[0] === 'REQ') {
          testRelay.subscriptions.push({ client: ctx.id, filters: message.slice(2) as Filter[] });
        }
        return result;
      },
    });
    wss.on('connection', (socket, request) => {
      if (request.headers.origin !== undefined) {
        testRelay.pageSockets.add(socket);
        socket.on('close', () => testRelay.pageSockets.delete(socket));
      }
      relay.handleConnection(socket);
      socket.on('message', (data) => {
        try {
          void relay.handleMessage(socket, JSON.parse(rawText(data)) as IncomingMessage);
        } catch {
          // not JSON: ignored, as relays do
        }
      });
      socket.on('close', () => relay.handleDisconnect(socket));
    });
    return testRelay;
  }

  /** How many connections from web pages are open now. */
  get pageConnections(): number {
    return this.pageSockets.size;
  }

  /** Publishes as a nostr client does (the relay checks it, stores it and fans it out); resolves on the relay's OK. */
  async publish(event: Event): Promise<void> {
    const client = await AbstractRelay.connect(this.url, {
      verifyEvent: () => true,
      websocketImplementation: WebSocket as unknown as typeof globalThis.WebSocket,
    });
    try {
      await client.publish(event);
    } finally {
      client.close();
    }
  }

  /** Sends an event to matching subscribers without any check, as a broken or hostile relay would (bad signatures, replays). */
  inject(event: Event): Promise<void> {
    return this.relay.broadcast(event);
  }

  /** Waits until `clients` connections (one by default) have subscribed to DMs for `addr`. */
  waitForSubscriber(addr: string, clients = 1, timeoutMs = 20_000): Promise<void> {
    return waitFor(
      `${clients} subscription(s) for ${addr.slice(0, 8)}… on ${this.url}`,
      () => new Set(this.subscriptions.filter(({ filters }) => filters.some((f) => f['#q']?.includes(addr))).map((s) => s.client)).size >= clients,
      timeoutMs,
    );
  }

  /** Subscribers connected right now. */
  get clients(): number {
    return this.wss.clients.size;
  }

  get port(): number {
    return (this.wss.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const socket of this.wss.clients) {
      socket.terminate();
    }
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    await this.relay.destroy();
  }
}

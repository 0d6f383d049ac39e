/** One fake socket: what the client sent, and buttons for the test to press. */
export interface FakeSocket {
  readonly url: string;
  /** Parsed messages the client sent, oldest first. */
  readonly sent: unknown[][];
  /** The server accepts the connection. */
  open(): void;
  /** The connection attempt fails (nothing listens, TLS error…). */
  fail(): void;
  /** An open connection drops. */
  drop(): void;
  /** The relay sends `message` (a NIP-01 array). */
  receive(message: unknown[]): void;
}

/**
 * A WebSocket class for nostr-tools' relay code in unit tests: each `new` records a
 * socket the test drives by hand. Real sockets against a real relay are tested in
 * `client/test/`.
 */
export function fakeWebSocketClass(): { WebSocket: typeof WebSocket; sockets: FakeSocket[] } {
  const sockets: FakeSocket[] = [];
  class FakeWebSocket implements FakeSocket {
    static readonly CONNECTING = 0;
    static readonly OPEN = 1;
    static readonly CLOSING = 2;
    static readonly CLOSED = 3;
    readyState = FakeWebSocket.CONNECTING;
    onopen: ((event: unknown) => void) | null = null;
    onerror: ((event: unknown) => void) | null = null;
    onclose: ((event: unknown) => void) | null = null;
    onmessage: ((event: { data: string }) => void) | null = null;
    readonly sent: unknown[][] = [];

    constructor(readonly url: string) {
      sockets.push(this);
    }

    send(data: string): void {
      this.sent.push(JSON.parse(data) as unknown[]);
    }

    close(): void {
      this.readyState = FakeWebSocket.CLOSED;
    }

    open(): void {
      this.readyState = FakeWebSocket.OPEN;
      this.onopen?.({});
    }

    fail(): void {
      this.readyState = FakeWebSocket.CLOSED;
      this.onerror?.({});
    }

    drop(): void {
      this.readyState = FakeWebSocket.CLOSED;
      this.onclose?.({});
    }

    receive(message: unknown[]): void {
      this.onmessage?.({ data: JSON.stringify(message) });
    }
  }
  return { WebSocket: FakeWebSocket as unknown as typeof WebSocket, sockets };
}

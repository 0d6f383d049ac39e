import { type ClientOptions, WebSocket } from 'ws';

/**
 * `ws`'s WebSocket as a browser's behaves, for running the client's relay code in Node.
 * A browser's WebSocket closed while it connects fires an `error` event that nobody
 * has to handle; `ws` emits a Node `error` event instead, which with no listener
 * throws ("WebSocket was closed before the connection was established") — and
 * nostr-tools' `close()` drops its handlers before closing. The listener added here
 * makes an unhandled error as harmless as in a browser; `onerror` still sees it.
 */
class BrowserLikeWebSocket extends WebSocket {
  constructor(address: string | URL, protocols?: string | string[], options?: ClientOptions) {
    super(address, protocols, options);
    this.on('error', () => undefined);
  }
}

/** The constructor the client's code takes as `WebSocket` (relay links, pools, transports). */
export const browserWebSocket = BrowserLikeWebSocket as unknown as typeof globalThis.WebSocket;

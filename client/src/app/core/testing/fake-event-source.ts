import type { EventSourceLike } from '../transport/inbox-stream';

/** An EventSource the fake server drives by hand. */
export class FakeEventSource implements EventSourceLike {
  onopen: ((event: Event) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  closed = false;
  private readonly listeners: ((event: MessageEvent<string>) => void)[] = [];

  constructor(readonly url: string) {}

  addEventListener(_type: 'message', listener: (event: MessageEvent<string>) => void): void {
    this.listeners.push(listener);
  }

  close(): void {
    this.closed = true;
  }

  fireOpen(): void {
    this.onopen?.(new Event('open'));
  }

  fireError(): void {
    this.onerror?.(new Event('error'));
  }

  fireMessage(data: string): void {
    for (const listener of this.listeners) {
      listener({ data } as MessageEvent<string>);
    }
  }
}

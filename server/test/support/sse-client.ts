import { waitFor } from './wait-for';

export interface SseEvent {
  id?: string;
  event?: string;
  data: string;
}

/**
 * A minimal EventSource over fetch (which, unlike EventSource, shows status and
 * headers and can send Last-Event-ID), recording every event and comment.
 */
export class SseClient {
  readonly events: SseEvent[] = [];
  readonly comments: string[] = [];
  /** Resolves when the server ends or drops the stream. */
  readonly ended: Promise<void>;
  private readonly abort = new AbortController();

  private constructor(
    readonly status: number,
    readonly headers: Headers,
    body: ReadableStream<Uint8Array>,
  ) {
    this.ended = this.read(body);
  }

  static async open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const abort = new AbortController();
    const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
    if (response.status !== 200 || !response.body) {
      throw new Error(`stream answered ${response.status}: ${await response.text()}`);
    }
    const client = new SseClient(response.status, response.headers, response.body);
    client.abort.signal.addEventListener('abort', () => abort.abort());
    return client;
  }

  /** The parsed `data` of every `message` event so far. */
  get messages(): { seq: number; envelope: any; created_at: number }[] {
    return this.events.filter((e) => e.event === 'message').map((e) => JSON.parse(e.data));
  }

  async waitForMessages(count: number, timeoutMs = 10_000): Promise<void> {
    await waitFor(`${count} stream messages (have ${this.messages.length})`, () => this.messages.length >= count, timeoutMs, 10);
  }

  close(): void {
    this.abort.abort();
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          this.parse(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
    } catch {
      // aborted by close(), or the server dropped the connection
    }
  }

  private parse(block: string): void {
    const event: SseEvent = { data: '' };
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) {
        this.comments.push(line.slice(1).trim());
        continue;
      }
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'id') {
        event.id = value;
      } else if (field === 'event') {
        event.event = value;
      } else if (field === 'data') {
        data.push(value);
      }
    }
    if (data.length > 0) {
      event.data = data.join('\n');
      this.events.push(event);
    }
  }
}

import { createServer, type Server, type ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';

import { type SseLimits, SseWriter } from './sse-writer';

const LIMITS: SseLimits = { keepaliveMs: 10_000, maxQueuedBytes: 64 * 1024 * 1024, stallMs: 60_000 };

/** A loopback server whose one response becomes an SseWriter, and a raw client socket. */
async function connectWriter(limits: Partial<SseLimits> = {}): Promise<{ writer: SseWriter; socket: Socket; received: () => string; server: Server }> {
  let onWriter!: (writer: SseWriter) => void;
  const created = new Promise<SseWriter>((resolve) => (onWriter = resolve));
  const server = createServer((_req, res: ServerResponse) => {
    const writer = new SseWriter(res, { ...LIMITS, ...limits });
    writer.open();
    onWriter(writer);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  let text = '';
  const socket = connect(port, '127.0.0.1');
  socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
  socket.on('error', () => undefined);
  socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
  return { writer: await created, socket, received: () => text, server };
}

/** More than loopback's kernel buffers hold, so some of it must wait in the process while the client reads nothing. */
function overfill(writer: SseWriter): void {
  const chunk = 'x'.repeat(64 * 1024);
  for (let i = 0; i < 512 && !writer.isClosed; i++) {
    writer.event(i, chunk);
  }
}

const until = async (what: string, probe: () => boolean, ms = 5_000) => {
  const deadline = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

describe(SseWriter.name, () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));
  const open = async (limits: Partial<SseLimits> = {}) => {
    const connection = await connectWriter(limits);
    cleanups.push(() => {
      connection.socket.destroy();
      connection.server.close();
    });
    return connection;
  };

  it('sends the SSE headers, a first comment and events as id/event/data', async () => {
    const { writer, received } = await open();
    writer.event(42, '{"seq":42}');
    await until('the event', () => received().includes('data: {"seq":42}'));
    expect(received()).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(received()).toMatch(/content-type: text\/event-stream; charset=utf-8\r\n/i);
    expect(received()).toMatch(/cache-control: no-cache\r\n/i);
    expect(received()).toMatch(/x-accel-buffering: no\r\n/i);
    expect(received()).toMatch(/connection: keep-alive\r\n/i);
    expect(received()).toContain(': connected\n\n');
    expect(received()).toContain('id: 42\nevent: message\ndata: {"seq":42}\n\n');
  });

  it('writes a comment after each keep-alive interval of silence', async () => {
    const { received } = await open({ keepaliveMs: 30 });
    await until('two keep-alive comments', () => received().split(': keep-alive\n\n').length > 2);
  });

  it('is destroyed as behind once the unread queue passes its cap, and drops what was queued', async () => {
    const { writer, socket } = await open({ maxQueuedBytes: 1024 * 1024 });
    socket.pause();
    overfill(writer);
    expect(writer.isClosed).toBe(true);
    await expect(writer.closed).resolves.toBe('behind');
  });

  it('is destroyed as stalled when data waits and the client reads nothing for stallMs', async () => {
    const { writer, socket } = await open({ keepaliveMs: 20, stallMs: 100 });
    socket.pause();
    overfill(writer);
    await expect(writer.closed).resolves.toBe('stalled');
  });

  it('resolves drained() once the client reads', async () => {
    const { writer, socket } = await open();
    socket.pause();
    overfill(writer);
    expect(writer.backlogged).toBe(true);
    let drained = false;
    const waiting = writer.drained().then(() => (drained = true));
    // Pending while the backlog stands: drained() follows the socket's 'drain', which a paused reader never causes.
    await Promise.resolve();
    expect(drained).toBe(false);
    expect(writer.backlogged).toBe(true);
    socket.resume();
    await waiting;
    expect(writer.backlogged).toBe(false);
    expect(writer.isClosed).toBe(false);
  });

  it('ends cleanly for the server and reports a client that left', async () => {
    const first = await open();
    first.writer.end();
    expect(first.writer.isClosed).toBe(true);
    first.writer.event(1, '{}');
    await expect(first.writer.closed).resolves.toBe('server');

    const second = await open();
    second.socket.destroy();
    await expect(second.writer.closed).resolves.toBe('client');
  });
});

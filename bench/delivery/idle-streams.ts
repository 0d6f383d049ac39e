// Load process: opens many idle streams on raw sockets (a few KB each on this side,
// far less than an http.ClientRequest) and keeps reading them — keep-alive comments
// only — until told to close.
import { connect, type Socket } from 'node:net';

import { serveWorker } from '../support/worker';
import { type HandleKey, StreamAuth } from './stream-auth';

const OPEN_TIMEOUT_MS = 30_000;

const open = new Set<Socket>();
/** Streams the server closed after answering 200. */
let closedByServer = 0;

/** Opens one stream; resolves true once the server answered 200, false on anything else. */
function openOne(host: string, port: number, auth: StreamAuth): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, host);
    const settle = (ok: boolean) => {
      clearTimeout(timer);
      if (ok) {
        open.add(socket);
        socket.once('close', () => open.delete(socket) && closedByServer++);
      } else {
        socket.destroy();
      }
      resolve(ok);
    };
    const timer = setTimeout(() => settle(false), OPEN_TIMEOUT_MS);
    socket.once('error', () => settle(false));
    socket.once('connect', () => socket.write(`GET ${auth.path()} HTTP/1.1\r\nHost: ${host}:${port}\r\nAccept: text/event-stream\r\n\r\n`));
    socket.once('data', (chunk: Buffer) => {
      // Keep reading (and dropping) what follows, so the server never sees a stalled client.
      socket.on('data', () => undefined);
      socket.on('error', () => undefined);
      settle(chunk.toString('latin1', 0, 12) === 'HTTP/1.1 200');
    });
  });
}

interface OpenBody {
  base: string;
  handles: HandleKey[];
  count: number;
  concurrency: number;
  timeoutMs: number;
}

/** Opens `count` streams round robin over the handles, `concurrency` at a time, within `timeoutMs`. */
async function openAll(body: OpenBody): Promise<{ opened: number; failed: number; openSeconds: number }> {
  const { hostname, port } = new URL(body.base);
  const auths = body.handles.map((key) => new StreamAuth(key));
  const started = Date.now();
  const deadline = started + body.timeoutMs;
  let next = 0;
  let failed = 0;
  const worker = async () => {
    while (next < body.count && Date.now() < deadline) {
      if (!(await openOne(hostname, Number(port), auths[next++ % auths.length]))) {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: body.concurrency }, worker));
  return { opened: open.size, failed: failed + (body.count - next), openSeconds: (Date.now() - started) / 1000 };
}

serveWorker({
  open: openAll,
  /** How many are still open, and how many the server closed: idle streams must stay up. */
  check: () => ({ open: open.size, closedByServer }),
  close: () => {
    open.forEach((socket) => socket.destroy());
    open.clear();
  },
});

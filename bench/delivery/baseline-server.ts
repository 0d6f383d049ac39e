// The bare baseline the delivery benchmark compares the real server with: what the
// same durable relay costs with nothing around it. Plain node:http + better-sqlite3
// (WAL, synchronous=NORMAL, the real server's table and indexes), ONE autocommit
// INSERT per message, then one SSE write to each open stream of the recipient. No
// framework, validation, auth, rate limit, batching, keep-alive or resume: the
// wire format only (`POST /v1/messages` → 201 `{seq, created_at}`,
// `GET /v1/inbox/:handle/stream` → `id/event/data` events).
//
//   node -r esbuild-register bench/delivery/baseline-server.ts <port> <sqlite file>
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

import Database from 'better-sqlite3';

const MAX_BODY_BYTES = 300 * 1024;
const STREAM_PATH = /^\/v1\/inbox\/([a-z0-9][a-z0-9_-]{1,31})\/stream(?:\?|$)/;

const [port, file] = process.argv.slice(2);
if (!port || !file) {
  throw new Error('usage: baseline-server.ts <port> <sqlite file>');
}

const db = new Database(file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec(
  'CREATE TABLE IF NOT EXISTS messages (seq INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, recipient varchar(32) NOT NULL, ' +
    'created_at bigint NOT NULL, size integer NOT NULL, envelope text NOT NULL);' +
    'CREATE INDEX IF NOT EXISTS messages_recipient_seq ON messages (recipient, seq);' +
    'CREATE INDEX IF NOT EXISTS messages_created_at ON messages (created_at);',
);
const insert = db.prepare<[string, number, number, string]>('INSERT INTO messages (recipient, created_at, size, envelope) VALUES (?, ?, ?, ?)');

/** handle → its open streams. */
const streams = new Map<string, Set<ServerResponse>>();

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}

function post(req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      json(res, 413, { error: { code: 'payload_too_large', message: 'too large' } });
      req.destroy();
    } else {
      chunks.push(chunk);
    }
  });
  req.on('end', () => {
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return json(res, 400, { error: { code: 'bad_request', message: 'malformed JSON' } });
    }
    // `null` is valid JSON too: it answers 400 like any other body without the two fields.
    const { to, envelope } = (body ?? {}) as { to?: unknown; envelope?: unknown };
    if (typeof to !== 'string' || typeof envelope !== 'object' || envelope === null) {
      return json(res, 400, { error: { code: 'bad_request', message: 'to and envelope are required' } });
    }
    const text = JSON.stringify(envelope);
    const createdAt = Math.floor(Date.now() / 1000);
    const seq = Number(insert.run(to, createdAt, Buffer.byteLength(text), text).lastInsertRowid);
    json(res, 201, { seq, created_at: createdAt });
    const event = `id: ${seq}\nevent: message\ndata: {"seq":${seq},"envelope":${text},"created_at":${createdAt}}\n\n`;
    streams.get(to)?.forEach((stream) => stream.write(event));
  });
}

function stream(handle: string, res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
  res.write(': connected\n\n');
  let set = streams.get(handle);
  if (!set) {
    set = new Set();
    streams.set(handle, set);
  }
  set.add(res);
  res.on('close', () => set.delete(res));
}

const server = createServer((req, res) => {
  const match = req.method === 'GET' ? STREAM_PATH.exec(req.url ?? '') : null;
  if (match) {
    return stream(match[1], res);
  }
  if (req.method === 'POST' && req.url === '/v1/messages') {
    return post(req, res);
  }
  if (req.method === 'GET' && req.url === '/v1/healthz') {
    return json(res, 200, { status: 'ok' });
  }
  json(res, 404, { error: { code: 'not_found', message: 'not found' } });
});
// Like the real server: no idle timeout on streams that stay open for the whole run.
server.requestTimeout = 0;
server.keepAliveTimeout = 60_000;
server.listen(Number(port), '127.0.0.1');

const shutdown = () => {
  server.closeAllConnections();
  server.close(() => {
    db.close();
    process.exit(0);
  });
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);

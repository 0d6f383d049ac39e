import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';

import { readAll, registerUser, send, streamAuth, streamUrl } from '../support/inbox-client';
import { figure } from '../support/metrics';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import { waitFor } from '../support/wait-for';

const MiB = 1024 * 1024;
/** Rounds of four 250 KiB posts: 160 MiB, well above the bounds below (the capped heap keeps the slack under 40 MiB). */
const ROUNDS = 160;
/** The server's old-space limit here: room for the app and a few posts in flight, never for what it is sent. */
const HEAP_MiB = 128;

/** The resident set of a process, from /proc (Linux). */
function rssBytes(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) {
    throw new Error(`no VmRSS for ${pid}`);
  }
  return Number(match[1]) * 1024;
}

/** Opens a stream on a raw socket that stops reading at once, like a client that hung. */
function openUnreadStream(url: string, path: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: ${hostname}\r\nAccept: text/event-stream\r\n\r\n`);
      socket.pause();
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

/** Everything the socket still delivers until the server's close reaches it. */
function drainUntilClosed(socket: Socket, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error('the server did not close the unread stream')), timeoutMs);
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    socket.on('error', () => undefined);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(text);
    });
    socket.resume();
  });
}

/** Streams the server holds open now, by its own gauge. */
const openStreams = (url: string) => figure(url, 'kez_chat_open_streams');

/**
 * A process test: the memory measured is the server's own resident set, apart from
 * the test's, which holds every envelope it posts. Signals and shutdown with open
 * streams: lifecycle.e2e-spec.ts.
 */
describe('stream resources', () => {
  let server: ServerProcess;

  afterEach(async () => {
    await server?.stop();
  });

  it('closes a stream whose client stops reading, without growing the server’s memory by what it was sent', async () => {
    server = await startServerProcess({
      // A capped heap is collected before it grows, so the resident set shows what the server holds rather than
      // the collector's slack: uncapped, Node 24 grew by 60-160 MiB from posting alone, to a handle nobody streams.
      env: { KEZ_CHAT_RATE_MESSAGES: '1000000/sec', KEZ_CHAT_STREAM_MAX_QUEUE: '1mb', NODE_OPTIONS: `--max-old-space-size=${HEAP_MiB}` },
    });
    const bob = await registerUser(server.url, 'bob');
    const envelope = { v: 2, ct: 'x'.repeat(250 * 1024) };
    const postMany = async (to: string, rounds: number) => {
      const seqs: number[] = [];
      for (let i = 0; i < rounds; i++) {
        seqs.push(...(await Promise.all(Array.from({ length: 4 }, () => send(server.url, to, envelope)))));
      }
      return seqs;
    };
    // Warm up (JIT, heap size, database pages) with no stream, so the baseline already holds the garbage posting makes.
    await registerUser(server.url, 'warm');
    await postMany('warm', 40);
    const url = new URL(streamUrl(server.url, 'bob', streamAuth(bob)));
    const socket = await openUnreadStream(server.url, url.pathname + url.search);
    await waitFor('the server to hold the stream', async () => (await openStreams(server.url)) === 1);
    const baseline = rssBytes(server.child.pid!);
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, rssBytes(server.child.pid!))), 20);
    let seqs: number[];
    try {
      // 640 envelopes of 250 KiB: 160 MiB sent to a client that reads none of it, well above
      // the bound below, so garbage collection's slack never decides the outcome.
      seqs = await postMany('bob', ROUNDS);
    } finally {
      clearInterval(sampler);
    }
    // The server's own record that it gave up on the stream, before the last measurement.
    await waitFor('the server to close the unread stream', async () => (await openStreams(server.url)) === 0);
    // Buffering it all would add at least the 160 MiB; what remains is garbage collection's slack.
    expect(peak - baseline).toBeLessThan(100 * MiB);
    expect(rssBytes(server.child.pid!) - baseline).toBeLessThan(48 * MiB);

    const received = await drainUntilClosed(socket, 10_000);
    // Complete events only: the close may cut the last one short.
    const ids = received
      .split('\n\n')
      .slice(0, -1)
      .flatMap((block) => [...(/^id: (\d+)$/m.exec(block) ?? [])].slice(1).map(Number));
    // What arrived before the close is a gap-free prefix; the rest waits in the inbox for a resume.
    const ordered = [...seqs].sort((a, b) => a - b);
    expect(ids.length).toBeLessThan(seqs.length / 2);
    expect(ids).toEqual(ordered.slice(0, ids.length));
    const resumed = await readAll(server.url, bob, ids.length > 0 ? ids[ids.length - 1] : 0);
    expect(resumed.map((m) => m.seq)).toEqual(ordered.slice(ids.length));
  }, 120_000);
});

// Load process: holds one live stream per recipient and checks what arrives
// against what the poster got 201 for — exactly once, on the right stream, in seq
// order — and measures POST→SSE latency from each message's scheduled send time.
import { summarize, sleep } from '../support/stats';
import { serveWorker } from '../support/worker';
import { readMark } from './envelope';
import type { DeliveryCheck } from './results';
import { SseConnection } from './sse-connection';
import { type HandleKey, StreamAuth } from './stream-auth';

const OPEN_CONCURRENCY = 50;

/** Every id ever received, with how often: a duplicate is caught even when it arrives phases later. */
const seen = new Map<string, number>();
/** This phase: first-arrival latency (ms) of each id. */
let latencies = new Map<string, number>();
let counters = { doubled: 0, misrouted: 0, outOfOrder: 0, drops: 0, unmarked: 0 };
const connections: SseConnection[] = [];
let dropReasons: string[] = [];

function onMessage(handle: string, inOrder: boolean, data: string, arrivedAt: number): void {
  const { mark } = readMark(data);
  if (!inOrder) {
    counters.outOfOrder++;
  }
  if (!mark) {
    counters.unmarked++;
    return;
  }
  if (mark.to !== handle) {
    counters.misrouted++;
  }
  const count = (seen.get(mark.id) ?? 0) + 1;
  seen.set(mark.id, count);
  if (count > 1) {
    counters.doubled++;
    return;
  }
  latencies.set(mark.id, arrivedAt - mark.at);
}

/** One stream per handle; with several bases, handle i streams from base i mod n. */
async function open(body: { bases: string[]; handles: HandleKey[] }): Promise<{ opened: number }> {
  const bases = body.bases.map((base) => new URL(base));
  const queue = body.handles.map((key, i) => ({ key, base: bases[i % bases.length] }));
  const openNext = async (): Promise<void> => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const { key, base } = next;
      const handle = key.handle;
      const connection = new SseConnection(base, new StreamAuth(key), {
        onMessage: (_seq, inOrder, data, arrivedAt) => onMessage(handle, inOrder, data, arrivedAt),
        onDrop: (reason) => {
          counters.drops++;
          dropReasons.push(`${handle}: ${reason}`);
        },
      });
      await connection.open();
      connections.push(connection);
    }
  };
  await Promise.all(Array.from({ length: OPEN_CONCURRENCY }, openNext));
  return { opened: connections.length };
}

/**
 * Waits (at most `drainMs`) until every accepted id arrived, then reports the
 * phase and starts the next one from zero.
 */
async function collect(body: { ids: string[]; drainMs: number }): Promise<DeliveryCheck> {
  const deadline = Date.now() + body.drainMs;
  let missing = body.ids.filter((id) => !latencies.has(id));
  while (missing.length > 0 && Date.now() < deadline) {
    await sleep(20);
    missing = missing.filter((id) => !latencies.has(id));
  }
  const expected = new Set(body.ids);
  const samples = body.ids.filter((id) => latencies.has(id)).map((id) => latencies.get(id)!);
  const stray = [...latencies.keys()].filter((id) => !expected.has(id)).length;
  const result: DeliveryCheck = {
    received: samples.length,
    lost: missing.length,
    stray,
    ...counters,
    dropReasons: dropReasons.slice(0, 5),
    latency: summarize(samples),
  };
  latencies = new Map();
  counters = { doubled: 0, misrouted: 0, outOfOrder: 0, drops: 0, unmarked: 0 };
  dropReasons = [];
  return result;
}

serveWorker({
  open,
  collect,
  close: () => connections.forEach((connection) => connection.close()),
});

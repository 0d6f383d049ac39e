import type { Event } from 'nostr-tools';
import { finalizeEvent, generateSecretKey } from 'nostr-tools/pure';
import { WebSocket } from 'ws';

import { NOSTR_KIND_DM } from '@kez/protocol';

import { rawText } from '../../server/src/relay/raw-text';
import { nowMs, summarize, type LatencySummary } from '../support/stats';
import type { RelayTarget } from './targets';

/** What one target did with one run of events. */
export interface RelayRunResult {
  offered: number;
  accepted: number;
  refused: number;
  /** Accepted events per second, from the first send to the last OK. */
  acceptedPerSec: number;
  /** Send → OK at the publisher, ms. */
  ack: LatencySummary;
  /** Send → EVENT at the live REQ, ms: the one-way latency to a reader. */
  delivery: LatencySummary;
  /** Accepted events the reader never got, and events it got twice. */
  lost: number;
  doubled: number;
}

type Frame = unknown[];

/** A WebSocket that hands every parsed frame to `onFrame`; resolves once open. */
async function open(url: string, onFrame: (frame: Frame) => void): Promise<WebSocket> {
  const ws = new WebSocket(url);
  ws.on('message', (data) => onFrame(JSON.parse(rawText(data)) as Frame));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return ws;
}

/** Waits for the first frame `match` accepts, bounded by `timeoutMs`, naming `what` on failure. */
function expectFrame(frames: Frame[], listeners: ((f: Frame) => void)[], match: (f: Frame) => boolean, what: string, timeoutMs = 10_000): Promise<Frame> {
  const seen = frames.find(match);
  if (seen) {
    return Promise.resolve(seen);
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${what} within ${timeoutMs} ms`)), timeoutMs);
    listeners.push((f) => {
      if (match(f)) {
        clearTimeout(timer);
        resolve(f);
      }
    });
  });
}

/**
 * KEZ DMs (kind 4243, 1 KiB content, a fresh one-time key each, signed before the
 * clock starts) for `addr`, published over one connection with at most `window`
 * awaiting their OK, while a second connection — authenticated as the recipient
 * on the real relay — holds a live REQ for them. Both sides run in this process,
 * so send and receive times come from one clock.
 */
export async function runEvents(target: RelayTarget, reader: { addr: string; secret: Uint8Array }, count: number, window: number): Promise<RelayRunResult> {
  const events: Event[] = Array.from({ length: count }, () =>
    finalizeEvent(
      { kind: NOSTR_KIND_DM, created_at: Math.floor(Date.now() / 1000), tags: [['q', reader.addr]], content: 'x'.repeat(1024) },
      generateSecretKey(),
    ),
  );
  const sentAt = new Map<string, number>();
  const ackMs: number[] = [];
  const deliveryMs: number[] = [];
  const received = new Map<string, number>();
  let accepted = 0;
  let refused = 0;

  // The reader: AUTH (real relay), REQ, wait for EOSE.
  const readerFrames: Frame[] = [];
  const readerListeners: ((f: Frame) => void)[] = [];
  const readerWs = await open(target.relayUrl, (f) => {
    if (f[0] === 'EVENT') {
      const id = (f[2] as Event).id;
      received.set(id, (received.get(id) ?? 0) + 1);
      const sent = sentAt.get(id);
      if (sent !== undefined && received.get(id) === 1) {
        deliveryMs.push(nowMs() - sent);
      }
      return;
    }
    readerFrames.push(f);
    readerListeners.forEach((l) => l(f));
  });
  if (target.real) {
    const challenge = (await expectFrame(readerFrames, readerListeners, (f) => f[0] === 'AUTH', 'AUTH challenge'))[1] as string;
    const auth = finalizeEvent(
      {
        kind: 22242,
        created_at: Math.floor(Date.now() / 1000),
        tags: [
          ['relay', target.relayUrl],
          ['challenge', challenge],
        ],
        content: '',
      },
      reader.secret,
    );
    readerWs.send(JSON.stringify(['AUTH', auth]));
    const ok = await expectFrame(readerFrames, readerListeners, (f) => f[0] === 'OK' && f[1] === auth.id, 'OK for AUTH');
    if (ok[2] !== true) {
      throw new Error(`AUTH refused: ${String(ok[3])}`);
    }
  }
  // limit 0: nothing stored, only what arrives from now on.
  readerWs.send(JSON.stringify(['REQ', 'bench', { kinds: [NOSTR_KIND_DM], '#q': [reader.addr], limit: 0 }]));
  await expectFrame(readerFrames, readerListeners, (f) => f[0] === 'EOSE' && f[1] === 'bench', 'EOSE');

  // The publisher: a sliding window of events awaiting OK.
  let next = 0;
  let done = 0;
  let began = 0;
  let ended = 0;
  const publisher = await new Promise<WebSocket>((resolveAll, rejectAll) => {
    let ws: WebSocket | undefined;
    const sendNext = () => {
      if (next < events.length) {
        const event = events[next++];
        sentAt.set(event.id, nowMs());
        ws!.send(JSON.stringify(['EVENT', event]));
      }
    };
    open(target.relayUrl, (f) => {
      if (f[0] !== 'OK') {
        return;
      }
      const sent = sentAt.get(f[1] as string);
      if (sent !== undefined) {
        ackMs.push(nowMs() - sent);
      }
      if (f[2] === true) {
        accepted++;
      } else {
        refused++;
      }
      if (++done === events.length) {
        ended = nowMs();
        resolveAll(ws!);
      } else {
        sendNext();
      }
    }).then((opened) => {
      ws = opened;
      began = nowMs();
      for (let i = 0; i < Math.min(window, events.length); i++) {
        sendNext();
      }
    }, rejectAll);
  });

  // Deliveries still in flight get a moment to land before they count as lost.
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline && events.some((e) => !received.has(e.id))) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  publisher.close();
  readerWs.close();
  return {
    offered: count,
    accepted,
    refused,
    acceptedPerSec: accepted / ((ended - began) / 1000),
    ack: summarize(ackMs),
    delivery: summarize(deliveryMs),
    lost: events.filter((e) => !received.has(e.id)).length,
    doubled: [...received.values()].filter((n) => n > 1).length,
  };
}

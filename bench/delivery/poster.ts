// Load process: posts 1 KB envelopes at a fixed rate (open loop: message i is due
// at start + i/rate whatever happened to the ones before), round robin over the
// recipients, and reports what was accepted.
import { Agent, type ClientRequest, request } from 'node:http';

import { nowMs, summarize } from '../support/stats';
import { serveWorker } from '../support/worker';
import { benchEnvelope } from './envelope';
import type { PostResult } from './results';

/** Concurrent requests at most; more wait in the agent's queue, their wait counted from their scheduled time. */
const MAX_SOCKETS = 256;
const TICK_MS = 1;

interface RunBody {
  base: string;
  recipients: string[];
  rate: number;
  seconds: number;
  /** Prefix of this phase's message ids. */
  phase: string;
  /** After the last send, how long answers may take before the rest count as timeouts. */
  drainMs: number;
  /** Loopback source addresses to spread the posts over (127.0.0.1 … 127.0.0.N): N clients to the rate limiter. */
  clientIps: number;
}

/**
 * Connections are kept alive across phases, as real clients keep theirs: a phase
 * then starts on the sockets the warm-up opened, instead of opening hundreds at
 * once, which measures connection storms rather than delivery. (The servers'
 * keep-alive timeouts, 72 s for Fastify and 60 s for the baseline, are far longer
 * than the pauses between phases.)
 */
const agent = new Agent({ keepAlive: true, maxSockets: MAX_SOCKETS, maxTotalSockets: MAX_SOCKETS });

function run(body: RunBody): Promise<PostResult> {
  const base = new URL(body.base);
  const total = Math.round(body.rate * body.seconds);
  const start = nowMs() + 10;
  const ids: string[] = [];
  const ackMs: number[] = [];
  const errors: Record<string, number> = {};
  const inFlight = new Set<ClientRequest>();
  let lastAck = start;
  let sent = 0;
  const fail = (kind: string) => (errors[kind] = (errors[kind] ?? 0) + 1);

  const send = (i: number) => {
    const at = start + (i * 1000) / body.rate;
    const to = body.recipients[i % body.recipients.length];
    const id = `${body.phase}-${i}`;
    const payload = JSON.stringify({ to, envelope: benchEnvelope({ id, to, at }) });
    const req = request({
      host: base.hostname,
      port: base.port,
      path: '/v1/messages',
      method: 'POST',
      agent,
      localAddress: body.clientIps > 1 ? `127.0.0.${1 + (i % body.clientIps)}` : undefined,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
    });
    inFlight.add(req);
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => {
        inFlight.delete(req);
        if (res.statusCode === 201) {
          lastAck = nowMs();
          ids.push(id);
          ackMs.push(lastAck - at);
        } else {
          fail(`http ${res.statusCode}`);
        }
      });
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (inFlight.delete(req)) {
        fail(error.code ?? error.message);
      }
    });
    req.end(payload);
  };

  return new Promise((resolve) => {
    const finish = () => {
      // Whatever is still unanswered after the drain time is a failure.
      for (const req of inFlight) {
        inFlight.delete(req);
        fail('timeout');
        req.destroy();
      }
      const elapsed = Math.max(lastAck - start, (total * 1000) / body.rate) / 1000;
      resolve({ offered: total, accepted: ids.length, acceptedPerSec: ids.length / elapsed, errors, ack: summarize(ackMs), ids });
    };
    const drain = (deadline: number) => {
      if (inFlight.size === 0 || nowMs() > deadline) {
        finish();
      } else {
        setTimeout(() => drain(deadline), 10);
      }
    };
    const tick = () => {
      const now = nowMs();
      while (sent < total && start + (sent * 1000) / body.rate <= now) {
        send(sent++);
      }
      if (sent < total) {
        setTimeout(tick, TICK_MS);
      } else {
        drain(nowMs() + body.drainMs);
      }
    };
    setTimeout(tick, 10);
  });
}

serveWorker({ run });

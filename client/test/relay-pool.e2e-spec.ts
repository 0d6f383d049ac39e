import { createServer, type Socket } from 'node:net';

import type { NostrEvent } from 'nostr-tools/pure';
import { finalizeEvent, generateSecretKey, getPublicKey } from 'nostr-tools/pure';

import { browserWebSocket } from './browser-websocket';
import { RelayLink, type RelayLinkOptions } from '../src/app/core/nostr/relay-link';
import { RelayPool } from '../src/app/core/nostr/relay-pool';
import { Backoff } from '../src/app/core/transport/backoff';
import { TestRelay } from '../../server/test/support/nostr-relay';
import { waitFor } from '../../server/test/support/wait-for';

// RelayLink and RelayPool against real relays (@nostr-relay/core on loopback), some
// of which demand NIP-42 AUTH, and against a port where nothing listens.

const now = () => Math.floor(Date.now() / 1000);
const userSecret = generateSecretKey();
const userPubkey = getPublicKey(userSecret);

function linkOptions(): RelayLinkOptions {
  return {
    signAuth: (template) => finalizeEvent(template, userSecret),
    WebSocket: browserWebSocket,
    // Short, fixed delays: the test waits for states, never measures time.
    backoff: new Backoff({ baseMs: 100, maxMs: 400, factor: 2, jitter: 0 }),
    publishWaitMs: 10_000,
    connectTimeoutMs: 10_000,
  };
}

function note(text: string, tag = 'kez-test', createdAt = now()): NostrEvent {
  return finalizeEvent({ kind: 1, created_at: createdAt, tags: [['t', tag]], content: text }, generateSecretKey());
}

/** A loopback port where nothing listens. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('RelayLink on a real relay', () => {
  const links: RelayLink[] = [];
  const relays: TestRelay[] = [];

  async function relay(options: Parameters<typeof TestRelay.start>[0] = {}): Promise<TestRelay> {
    const started = await TestRelay.start(options);
    relays.push(started);
    return started;
  }

  function link(url: string, options: Partial<RelayLinkOptions> = {}): RelayLink {
    const made = new RelayLink(url, { ...linkOptions(), ...options });
    links.push(made);
    return made;
  }

  afterEach(async () => {
    for (const made of links.splice(0)) {
      made.stop();
    }
    await Promise.all(relays.splice(0).map((started) => started.close()));
  });

  it('goes live, receives what others publish and publishes itself, without authenticating on an open relay', async () => {
    const open = await relay();
    const subject = link(open.url);
    const received: NostrEvent[] = [];
    subject.onEvent((event) => received.push(event));
    subject.subscribe({ id: 'notes', filters: [{ kinds: [1], '#t': ['kez-test'] }] });
    subject.start();
    await waitFor('the link to go live', () => subject.status.state === 'live');

    const theirs = note('from someone else');
    await open.publish(theirs);
    await waitFor('the event to arrive', () => received.some((event) => event.id === theirs.id));

    const ours = note('from the link');
    expect(await subject.publish(ours)).toEqual({ ok: true, relay: subject.url, message: '' });
    expect(open.authenticated).toEqual([]);
    expect(subject.status.authenticatedAs).toBeUndefined();
  });

  it('answers NIP-42 AUTH with the user key when the relay demands it to read and to publish', async () => {
    const guarded = await relay({ requireAuth: true, requireAuthToPublish: true });
    const subject = link(guarded.url);
    const received: string[] = [];
    subject.onEvent((event) => received.push(event.id));
    subject.subscribe({ id: 'notes', filters: [{ kinds: [1], '#t': ['kez-test'] }] });
    subject.start();
    await waitFor('the link to authenticate', () => subject.status.authenticatedAs === userPubkey);
    expect(subject.status.state).toBe('live');
    expect(guarded.authenticated).toEqual([userPubkey]);

    const theirs = note('stored on a guarded relay');
    await guarded.inject(theirs);
    await waitFor('the event on the authenticated subscription', () => received.includes(theirs.id));
    const ours = await subject.publish(note('published after AUTH'));
    expect(ours.ok).toBe(true);
  });

  it('authenticates for a publish the relay refuses with auth-required', async () => {
    const guarded = await relay({ requireAuthToPublish: true });
    const subject = link(guarded.url);
    subject.start();
    const outcome = await subject.publish(note('needs AUTH'));
    expect(outcome.ok).toBe(true);
    expect(guarded.authenticated).toEqual([userPubkey]);
  });

  it('reports auth-failed with the relay reason when the relay refuses the key', async () => {
    const membersOnly = await relay({ requireAuth: true, acceptAuthFrom: [getPublicKey(generateSecretKey())] });
    const subject = link(membersOnly.url);
    subject.subscribe({ id: 'notes', filters: [{ kinds: [1] }] });
    subject.start();
    await waitFor('auth-failed', () => subject.status.state === 'auth-failed');
    expect(subject.status.reason).toMatch(/restricted: this key is not a member/);
    const outcome = await subject.publish(note('refused'));
    expect(outcome).toEqual({ ok: false, relay: subject.url, reason: expect.stringMatching(/not connected.*restricted/) });
  });

  it('stops quietly while its socket still connects (a relay that never answers the handshake)', async () => {
    const silent = createServer();
    const sockets: Socket[] = [];
    const accepted = new Promise<void>((resolve) =>
      silent.once('connection', (socket) => {
        sockets.push(socket);
        resolve();
      }),
    );
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const subject = link(`ws://127.0.0.1:${(silent.address() as { port: number }).port}`);
      subject.start();
      await accepted;
      expect(subject.status.state).toBe('connecting');
      subject.stop();
      expect(subject.status).toEqual(expect.objectContaining({ state: 'down', reason: 'stopped' }));
      // The process goes on: a link to a real relay after it goes live.
      const open = await relay();
      const next = link(open.url);
      next.start();
      await waitFor('the next link live', () => next.status.state === 'live');
    } finally {
      sockets.forEach((socket) => socket.destroy());
      silent.close();
    }
  });

  it('reports down with a reason and retries a relay that is not there', async () => {
    const subject = link(`ws://127.0.0.1:${await deadPort()}`, { publishWaitMs: 1_000 });
    const states: string[] = [];
    subject.onStatus((status) => states.push(status.state));
    subject.start();
    await waitFor('two failed attempts', () => states.filter((state) => state === 'connecting').length >= 2);
    expect(subject.status.state === 'down' || subject.status.state === 'connecting').toBe(true);
    expect(states).toContain('down');
    const outcome = await subject.publish(note('nowhere'));
    expect(outcome.ok).toBe(false);
  });

  it('reconnects after the relay restarts and resubscribes from the newest event seen', async () => {
    const first = await relay();
    const subject = link(first.url);
    const received: NostrEvent[] = [];
    subject.onEvent((event) => received.push(event));
    subject.subscribe({ id: 'notes', filters: [{ kinds: [1], '#t': ['kez-test'] }] });
    subject.start();
    await waitFor('live', () => subject.status.state === 'live');
    const before = note('before the restart', 'kez-test', now() - 3600);
    await first.publish(before);
    await waitFor('the first event', () => received.length === 1);
    expect(subject.newestSeen('notes')).toBe(before.created_at);

    const port = first.port;
    const reasons: string[] = [];
    subject.onStatus((status) => status.state === 'down' && reasons.push(status.reason ?? ''));
    await first.close();
    relays.splice(relays.indexOf(first), 1);
    await waitFor('down', () => reasons.length > 0);
    expect(reasons[0]).toBe('connection closed');

    const second = await relay({ port });
    const during = note('published while the link was away');
    await second.publish(during);
    await waitFor('live again', () => subject.status.state === 'live');
    await waitFor('the event published while away', () => received.some((event) => event.id === during.id));
    const resubscription = second.subscriptions.at(-1);
    // Resumes ten minutes before the newest event seen, not from the 48 h look-back.
    expect(resubscription?.filters[0]?.since).toBe(before.created_at - 600);
  });
});

describe('RelayPool on real relays', () => {
  let open: TestRelay;
  let guarded: TestRelay;
  let spare: TestRelay;
  let pool: RelayPool;

  beforeAll(async () => {
    [open, guarded, spare] = await Promise.all([TestRelay.start(), TestRelay.start({ requireAuth: true, requireAuthToPublish: true }), TestRelay.start()]);
  });

  afterEach(() => pool?.stop());

  afterAll(async () => {
    await Promise.all([open?.close(), guarded?.close(), spare?.close()]);
  });

  it('publishes to every relay and reports the first accepter, all accepters and each refusal', async () => {
    const dead = `ws://127.0.0.1:${await deadPort()}`;
    pool = new RelayPool({ ...linkOptions(), publishWaitMs: 1_500 });
    pool.setRelays([open.url, guarded.url, dead]);
    pool.start();
    await waitFor('two relays live', () => pool.status.live === 2);
    expect(pool.status.total).toBe(3);
    expect(pool.status.relays.find((relay) => relay.url === `${dead}/`)?.state).toMatch(/down|connecting/);

    const accepted: string[] = [];
    const report = await pool.publish(note('to all'), { preferredRelay: guarded.url, onAccepted: (relay) => accepted.push(relay) });
    expect(new Set(report.accepted)).toEqual(new Set([`${open.url}/`, `${guarded.url}/`]));
    expect(report.first).toBe(report.accepted[0]);
    expect(accepted).toEqual(report.accepted);
    expect(report.refused).toEqual([{ relay: `${dead}/`, reason: expect.stringMatching(/^not connected/) }]);
  });

  it('merges the subscription of all relays and hands each event id on once', async () => {
    pool = new RelayPool(linkOptions());
    pool.setRelays([open.url, guarded.url]);
    const received: NostrEvent[] = [];
    pool.onEvent((event) => received.push(event));
    pool.subscribe({ id: 'merged', filters: [{ kinds: [1], '#t': ['merge'] }] });
    pool.start();
    await waitFor('both relays live', () => pool.status.live === 2);

    const both = note('on both relays', 'merge');
    await Promise.all([open.publish(both), guarded.inject(both)]);
    const onlyGuarded = note('on the guarded relay only', 'merge');
    await guarded.inject(onlyGuarded);
    await waitFor('both events', () => received.length >= 2);
    const again = note('a third, so that a late duplicate would have arrived before it', 'merge');
    await open.publish(again);
    await waitFor('the third event', () => received.some((event) => event.id === again.id));
    expect(received.map((event) => event.id).sort()).toEqual([both.id, onlyGuarded.id, again.id].sort());
    expect(pool.newestSeen('merged')).toBe(Math.max(both.created_at, onlyGuarded.created_at, again.created_at));
  });

  it('takes relays added and removed at run time', async () => {
    pool = new RelayPool(linkOptions());
    pool.setRelays([open.url]);
    const received: string[] = [];
    pool.onEvent((event) => received.push(event.id));
    pool.subscribe({ id: 'edits', filters: [{ kinds: [1], '#t': ['edit'] }] });
    pool.start();
    await waitFor('one relay live', () => pool.status.live === 1);

    const onSpare = note('only on the spare relay', 'edit');
    await spare.publish(onSpare);
    pool.setRelays([open.url, spare.url]);
    await waitFor('two relays live', () => pool.status.live === 2 && pool.status.total === 2);
    await waitFor('the event from the added relay', () => received.includes(onSpare.id));

    pool.setRelays([spare.url]);
    expect(pool.urls).toEqual([`${spare.url}/`]);
    await waitFor('the removed relay to lose its client', () => open.clients === 0);
    expect(() => pool.setRelays(['https://example.org', 'wss://fine.example'])).toThrow(/not a relay URL.*https:\/\/example\.org/);
    expect(pool.urls).toEqual([`${spare.url}/`]);
  });
});

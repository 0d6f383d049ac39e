import { finalizeEvent, generateSecretKey, getPublicKey } from 'nostr-tools/pure';

import { FakeTimers } from '../testing/fake-timers';
import { type FakeSocket, fakeWebSocketClass } from '../testing/fake-relay-socket';
import { Backoff } from '../transport/backoff';
import { RelayLink } from './relay-link';

const secret = generateSecretKey();
const NOW = 1_800_000_000;

/** Lets nostr-tools' promise chains run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

const made: RelayLink[] = [];
afterEach(() => made.splice(0).forEach((link) => link.stop()));

function setup(authRetryMs = 60_000): { link: RelayLink; sockets: FakeSocket[]; timers: FakeTimers } {
  const { WebSocket, sockets } = fakeWebSocketClass();
  const timers = new FakeTimers();
  const link = new RelayLink('wss://relay.test', {
    signAuth: (template) => finalizeEvent(template, secret),
    WebSocket,
    timers,
    backoff: new Backoff({ baseMs: 100, maxMs: 1_000, factor: 2, jitter: 0 }),
    now: () => NOW,
    authRetryMs,
  });
  made.push(link);
  return { link, sockets, timers };
}

function socket(sockets: FakeSocket[], index: number): FakeSocket {
  const found = sockets[index];
  if (!found) {
    throw new Error(`no socket #${index} (${sockets.length} made)`);
  }
  return found;
}

describe(RelayLink.name, () => {
  it('backs off between failed attempts and starts over only after a connection stayed up', async () => {
    const { link, sockets, timers } = setup();
    link.start();
    expect(link.status).toEqual({ url: 'wss://relay.test/', state: 'connecting' });
    socket(sockets, 0).fail();
    await settle();
    expect(link.status).toEqual({ url: 'wss://relay.test/', state: 'down', reason: 'cannot connect' });
    expect(timers.delays()).toEqual([100]);

    timers.advance(100);
    socket(sockets, 1).fail();
    await settle();
    expect(timers.delays()).toEqual([200]);

    timers.advance(200);
    socket(sockets, 2).open();
    await settle();
    expect(link.status.state).toBe('live');
    socket(sockets, 2).drop();
    await settle();
    // Up for a moment only: the backoff goes on growing.
    expect(link.status).toMatchObject({ state: 'down', reason: 'connection closed' });
    expect(timers.delays()).toEqual([400]);

    timers.advance(400);
    socket(sockets, 3).open();
    await settle();
    timers.advance(30_000);
    socket(sockets, 3).drop();
    await settle();
    expect(timers.delays()).toEqual([100]);
  });

  it('gives up on an attempt that neither opens nor fails, and leaves no timer behind when stopped while connecting', async () => {
    const { link, sockets, timers } = setup();
    link.start();
    expect(timers.delays()).toEqual([10_000]);
    timers.advance(10_000);
    await settle();
    expect(link.status).toEqual({ url: 'wss://relay.test/', state: 'down', reason: 'cannot connect (connection timed out)' });
    expect(timers.delays()).toEqual([100]);
    timers.advance(100);
    expect(sockets).toHaveLength(2);
    link.stop();
    expect(timers.delays()).toEqual([]);
  });

  it('subscribes on every connection, resuming ten minutes before the newest event it delivered', async () => {
    const { link, sockets, timers } = setup();
    const delivered: string[] = [];
    link.onEvent((event) => delivered.push(event.content));
    link.subscribe({ id: 'kez', filters: [{ kinds: [4243], '#q': ['a'.repeat(64)] }] });
    link.start();
    socket(sockets, 0).open();
    await settle();
    expect(socket(sockets, 0).sent).toEqual([['REQ', 'kez', { kinds: [4243], '#q': ['a'.repeat(64)], since: NOW - 48 * 3600 }]]);

    const event = finalizeEvent({ kind: 4243, created_at: NOW - 100, tags: [['q', 'a'.repeat(64)]], content: 'one' }, generateSecretKey());
    socket(sockets, 0).receive(['EVENT', 'kez', event]);
    // Dated an hour ahead: handed on (the reader decides), but it must not move the resume point.
    const ahead = finalizeEvent({ kind: 4243, created_at: NOW + 3600, tags: [['q', 'a'.repeat(64)]], content: 'ahead' }, generateSecretKey());
    socket(sockets, 0).receive(['EVENT', 'kez', ahead]);
    expect(delivered).toEqual(['one', 'ahead']);
    expect(link.newestSeen('kez')).toBe(NOW - 100);

    socket(sockets, 0).drop();
    await settle();
    timers.advance(100);
    socket(sockets, 1).open();
    await settle();
    expect(socket(sockets, 1).sent).toEqual([['REQ', 'kez', { kinds: [4243], '#q': ['a'.repeat(64)], since: NOW - 100 - 600 }]]);
  });

  it('answers an auth-required CLOSED with AUTH, then asks again', async () => {
    const { link, sockets } = setup();
    link.subscribe({ id: 'kez', filters: [{ kinds: [4243] }] });
    link.start();
    const relay = socket(sockets, 0);
    relay.open();
    relay.receive(['AUTH', 'challenge-1']);
    await settle();
    relay.receive(['CLOSED', 'kez', 'auth-required: members only']);
    await settle();
    const auth = relay.sent.find((message) => message[0] === 'AUTH')?.[1] as { id: string; pubkey: string; tags: string[][] };
    expect(auth.pubkey).toBe(getPublicKey(secret));
    expect(auth.tags).toEqual(expect.arrayContaining([['challenge', 'challenge-1']]));
    relay.receive(['OK', auth.id, true, '']);
    await settle();
    expect(link.status).toEqual({ url: 'wss://relay.test/', state: 'live', authenticatedAs: getPublicKey(secret) });
    expect(relay.sent.filter((message) => message[0] === 'REQ')).toHaveLength(2);
  });

  it('goes auth-failed when the relay refuses our AUTH, and retries after the long wait', async () => {
    const { link, sockets, timers } = setup(60_000);
    link.subscribe({ id: 'kez', filters: [{ kinds: [4243] }] });
    link.start();
    const relay = socket(sockets, 0);
    relay.open();
    relay.receive(['AUTH', 'challenge-1']);
    await settle();
    relay.receive(['CLOSED', 'kez', 'auth-required: members only']);
    await settle();
    const auth = relay.sent.find((message) => message[0] === 'AUTH')?.[1] as { id: string };
    relay.receive(['OK', auth.id, false, 'restricted: not a member']);
    await settle();
    expect(link.status).toEqual({ url: 'wss://relay.test/', state: 'auth-failed', reason: 'the relay refused our AUTH (restricted: not a member)' });
    expect(timers.delays()).toEqual([60_000]);
    expect(await link.publish(finalizeEvent({ kind: 1, created_at: NOW, tags: [], content: '' }, secret))).toEqual({
      ok: false,
      relay: 'wss://relay.test/',
      reason: 'not connected (the relay refused our AUTH (restricted: not a member))',
    });
    timers.advance(60_000);
    expect(sockets).toHaveLength(2);
    expect(link.status.state).toBe('connecting');
  });

  it('says so when a relay demands AUTH without sending a challenge', async () => {
    const { link, sockets } = setup();
    link.subscribe({ id: 'kez', filters: [{ kinds: [4243] }] });
    link.start();
    socket(sockets, 0).open();
    await settle();
    socket(sockets, 0).receive(['CLOSED', 'kez', 'auth-required: members only']);
    await settle();
    expect(link.status).toEqual({ url: 'wss://relay.test/', state: 'auth-failed', reason: 'the relay asks for AUTH but sent no challenge' });
  });

  it('drops the connection and retries when the relay closes a subscription for another reason', async () => {
    const { link, sockets, timers } = setup();
    link.subscribe({ id: 'kez', filters: [{ kinds: [4243] }] });
    link.start();
    socket(sockets, 0).open();
    await settle();
    socket(sockets, 0).receive(['CLOSED', 'kez', 'error: shutting down']);
    await settle();
    expect(link.status).toEqual({ url: 'wss://relay.test/', state: 'down', reason: 'the relay closed the subscription (error: shutting down)' });
    expect(timers.delays()).toEqual([100]);
  });

  it('answers a publish waiting for the connection as soon as the link stops', async () => {
    const { link } = setup();
    link.start();
    const waiting = link.publish(finalizeEvent({ kind: 1, created_at: NOW, tags: [], content: '' }, secret));
    link.stop();
    expect(await waiting).toMatchObject({ ok: false, reason: 'not connected (stopped)' });
  });

  it('stops for good: no retry, no connection', async () => {
    const { link, sockets, timers } = setup();
    link.start();
    socket(sockets, 0).fail();
    await settle();
    link.stop();
    expect(timers.delays()).toEqual([]);
    expect(link.status).toEqual({ url: 'wss://relay.test/', state: 'down', reason: 'stopped' });
    expect(await link.publish(finalizeEvent({ kind: 1, created_at: NOW, tags: [], content: '' }, secret))).toMatchObject({
      ok: false,
      reason: 'not connected (stopped)',
    });
  });
});

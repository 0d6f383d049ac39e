import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { AbstractRelay } from 'nostr-tools/abstract-relay';
import * as nip17 from 'nostr-tools/nip17';
import { npubEncode } from 'nostr-tools/nip19';
import { generateSecretKey, getPublicKey, type NostrEvent, verifyEvent } from 'nostr-tools/pure';
import type { Filter } from 'nostr-tools/filter';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { WebSocket as ws } from 'ws';

import { freePort } from '../server/test/support/free-port';
import { TestRelay } from '../server/test/support/nostr-relay';
import { type ServerProcess, startServerProcess } from '../server/test/support/server-process';
import { waitFor } from '../server/test/support/wait-for';
import { launchChromium, screenshot } from './support/browser';
import { textContrast } from './support/contrast';
import { bodies, bubble, conversationRow, createAccount, send, startChat, startChatError, unlock } from './support/kez-app';
import { inViewport } from './support/layout';
import { textLines } from './support/one-line';
import { waitForMetric } from './support/server-metrics';

// Alice and bob in two browsers, on the home server and two local nostr relays (one
// demanding NIP-42 AUTH), which the server proposes through GET /v1/relays: both
// paths at once (each message shown once, delivered ticks), the home server stopped
// (they keep chatting over the relays), and the relays stopped (over the server).
// The steps build on each other.

const SERVER = 'chat.test';
/** Generous: the machine is shared; this is no speed figure. */
const WAIT_MS = 30_000;

/** Reads events straight off a relay, as its operator (or anyone) could. */
async function readRaw(relay: TestRelay, filters: Filter[]): Promise<NostrEvent[]> {
  const client = await AbstractRelay.connect(relay.url, { verifyEvent, websocketImplementation: ws as unknown as typeof WebSocket });
  try {
    return await new Promise((resolve) => {
      const events: NostrEvent[] = [];
      const sub = client.subscribe(filters, {
        onevent: (event) => events.push(event),
        oneose: () => {
          sub.close();
          resolve(events);
        },
      });
    });
  } finally {
    client.close();
  }
}

/**
 * Reads `relay` (readRaw) until what it holds passes `test`: an event can reach the
 * relay after the other path (the home server) already showed it on screen.
 */
async function rawOnceThere(relay: TestRelay, filters: Filter[], what: string, test: (events: NostrEvent[]) => boolean): Promise<NostrEvent[]> {
  let events: NostrEvent[] = [];
  await waitFor(what, async () => test((events = await readRaw(relay, filters))), WAIT_MS);
  return events;
}

/** How many connections have asked `relay` for profiles (kind 0), as the profile pictures do. */
function profileReaders(relay: TestRelay): number {
  return new Set(relay.subscriptions.filter(({ filters }) => filters.some((filter) => filter.kinds?.includes(0))).map(({ client }) => client)).size;
}

/** True once the server's log shows a failed reconnect to `relay` (written after its backoff wait). */
function retriedRelay(server: ServerProcess, relay: TestRelay): boolean {
  return new RegExp(`relay ${relay.url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/?: cannot connect`).test(server.output());
}

/** Waits until `page` shows `text` in exactly one bubble. */
async function seesOnce(page: Page, text: string): Promise<void> {
  await bubble(page, text).waitFor({ timeout: WAIT_MS });
  expect((await bodies(page)).filter((body) => body === text)).toHaveLength(1);
}

/** True when `locator` has the keyboard focus. */
function focused(locator: Locator): Promise<boolean> {
  return locator.evaluate((element) => element === document.activeElement);
}

async function delivered(page: Page, text: string): Promise<void> {
  await bubble(page, text).getByRole('img', { name: 'Delivered' }).waitFor({ timeout: WAIT_MS });
}

describe('chat over the home server and nostr relays', () => {
  let port: number;
  let database: string;
  let server: ServerProcess | undefined;
  let open: TestRelay;
  let guarded: TestRelay;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let alice: Page;
  let bob: Page;

  const url = () => `http://127.0.0.1:${port}`;
  const startServer = async () => {
    server = await startServerProcess({ port, env: { KEZ_CHAT_SERVER: SERVER, KEZ_CHAT_DB: database, KEZ_CHAT_RELAYS: `${open.url},${guarded.url}` } });
  };

  beforeAll(async () => {
    port = await freePort();
    database = join(mkdtempSync(join(tmpdir(), 'kez-e2e-nostr-')), 'kez.db');
    open = await TestRelay.start();
    guarded = await TestRelay.start({ requireAuth: true });
    await startServer();
    browser = await launchChromium();
    for (let i = 0; i < 2; i++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
      contexts.push(context);
    }
    alice = await contexts[0].newPage();
    bob = await contexts[1].newPage();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await open?.close();
    await guarded?.close();
  }, 30_000);

  it('reads the default relays from the home server and shows each relay live, AUTH included', async () => {
    await createAccount(alice, url(), 'alice', 'alice likes otters 7');
    await createAccount(bob, url(), 'bob', 'bob prefers beavers 9');
    for (const page of [alice, bob]) {
      // This server's /relay, then KEZ_CHAT_RELAYS.
      await page.getByRole('button', { name: /Nostr relays: ● live \(3\)/ }).waitFor({ timeout: WAIT_MS });
    }
    // The first screen says that a nostr user of another app can be reached too, and how.
    await alice.getByText(/Someone on another nostr app\? Paste their npub or their nostr address \(name@example\.org\)\./).waitFor();
    await alice.getByRole('button', { name: /Nostr relays:/ }).click();
    const popover = alice.getByRole('dialog', { name: 'Nostr relays' });
    await popover.getByRole('listitem').nth(2).waitFor({ timeout: WAIT_MS });
    const lines = await popover.getByRole('listitem').allTextContents();
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(new RegExp(`^127\\.0\\.0\\.1:${port}/relay: live`));
    expect(lines[1]).toMatch(new RegExp(`^127\\.0\\.0\\.1:${open.port}: live`));
    expect(lines[2]).toMatch(new RegExp(`^127\\.0\\.0\\.1:${guarded.port}: live`));
    await screenshot(alice, 'relay-popover');
    // A non-modal popover: Tab reaches its link, Escape closes it and gives the focus
    // back to its button, and a click anywhere else closes it too.
    const toggle = alice.getByRole('button', { name: /Nostr relays:/ });
    await alice.keyboard.press('Tab');
    await expect(focused(popover.getByRole('link', { name: 'Edit relays' }))).resolves.toBe(true);
    await alice.keyboard.press('Escape');
    await popover.waitFor({ state: 'detached' });
    await expect(focused(toggle)).resolves.toBe(true);
    await toggle.press('Enter');
    await popover.waitFor();
    await alice.getByRole('heading', { name: /Pick a conversation/ }).click();
    await popover.waitFor({ state: 'detached' });
    await waitFor('both pages authenticated on the guarded relay', () => guarded.authenticated.length >= 2, WAIT_MS);
    // One connection per relay and page: the chat and the profile pictures share it.
    // Counted once both pages' pictures have read profiles (kind 0) over the relays:
    // a connection of their own would be open by then.
    await waitFor('both pages reading profiles on the open relay', () => profileReaders(open) >= 2, WAIT_MS);
    expect([open.pageConnections, guarded.pageConnections]).toEqual([2, 2]);
  }, 120_000);

  it('sends over both paths: each message shows once, and the tick turns to delivered', async () => {
    await startChat(alice, 'bob');
    await send(alice, 'bob', 'hello over every path');
    await bob.getByRole('link', { name: /@alice\b/ }).click();
    await seesOnce(bob, 'hello over every path');
    await delivered(alice, 'hello over every path');
    await expect(bubble(alice, 'hello over every path').locator('.via').textContent()).resolves.toMatch(/^via /);
    await screenshot(alice, 'delivered-tick');
    await send(bob, 'alice', 'hi alice, both ways');
    await seesOnce(alice, 'hi alice, both ways');
    await delivered(bob, 'hi alice, both ways');
  });

  it('keeps what alice publishes private: no plaintext, no handle, no p/e tags, a new author key per event', async () => {
    // Two messages and their two receipts.
    const events = await rawOnceThere(open, [{ kinds: [4243, 4244] }], 'four KEZ events on the relay', (found) => found.length >= 4);
    for (const event of events) {
      expect(event.content).not.toMatch(/hello over every path|hi alice, both ways/);
      // Short fields (version, algorithm, keys) could name someone; the ciphertext cannot be read.
      const short = Object.values(JSON.parse(event.content) as Record<string, unknown>).filter((value) => typeof value !== 'string' || value.length < 100);
      expect(JSON.stringify(short)).not.toMatch(/alice|bob|chat\.test/);
      expect(event.tags.map(([name]) => name)).toEqual(['q']);
    }
    expect(new Set(events.map((event) => event.pubkey)).size).toBe(events.length);
  });

  it('chats with a NIP-17 peer of another app: it writes to her 10050 relay, she reads it, answers, and it unwraps the answer', async () => {
    // Alice's own lists, as any nostr app finds them: kind 0 with her NIP-05, 10050 with her relays.
    const isAlice = (event: NostrEvent) => (JSON.parse(event.content) as { nip05?: string }).nip05 === `alice@${SERVER}`;
    const profiles = await rawOnceThere(open, [{ kinds: [0] }], 'alice’s profile on the relay', (found) => found.some(isAlice));
    const aliceKey = profiles.find(isAlice)!.pubkey;
    const [inboxList] = await rawOnceThere(open, [{ kinds: [10050], authors: [aliceKey] }], 'alice’s inbox relays on the relay', (found) => found.length > 0);
    const inboxRelays = inboxList.tags.filter(([name]) => name === 'relay').map(([, relay]) => relay);
    expect(inboxRelays).toContain(`${open.url}/`);
    expect(await rawOnceThere(open, [{ kinds: [10002], authors: [aliceKey] }], 'alice’s relay list on the relay', (found) => found.length > 0)).toHaveLength(1);

    const peerSecret = generateSecretKey();
    const peerKey = getPublicKey(peerSecret);
    await alice.getByLabel('Start a chat').fill(npubEncode(peerKey));
    await alice.getByRole('button', { name: 'Chat', exact: true }).click();
    await alice.waitForURL(/\/chats\/nostr/);
    await open.publish(nip17.wrapEvent(peerSecret, { publicKey: aliceKey }, 'hello from a nostr app'));
    await seesOnce(alice, 'hello from a nostr app');
    await alice.locator('.head .nostr-mark').waitFor();
    const composer = alice.getByLabel(/^Message /);
    await composer.fill('hello, nostr app');
    await composer.press('Enter');
    await bubble(alice, 'hello, nostr app').getByRole('img', { name: 'Sent' }).waitFor({ timeout: WAIT_MS });
    const wraps = await readRaw(open, [{ kinds: [1059], '#p': [peerKey] }]);
    expect(wraps.map((wrap) => nip17.unwrapEvent(wrap, peerSecret))).toEqual([
      expect.objectContaining({ kind: 14, pubkey: aliceKey, content: 'hello, nostr app' }),
    ]);
    // Alice's own copy came back from the relay: still one bubble.
    expect((await bodies(alice)).filter((body) => body === 'hello, nostr app')).toHaveLength(1);
    await alice.getByRole('link', { name: /@bob\b/ }).click();
  }, 120_000);

  it('keeps chatting over the relays while the home server is stopped, delivered ticks included', async () => {
    await server!.stop();
    server = undefined;
    // The footer while the server is away: every label on one line, the amber "● live (2)" readable (WCAG AA, 4.5:1).
    const foot = alice.getByRole('complementary', { name: 'Your chats' }).locator('kez-link-indicator');
    await foot.getByRole('button', { name: 'Reconnect now' }).waitFor({ timeout: WAIT_MS });
    const relays = foot.getByRole('button', { name: /Nostr relays: ● live \(2\)/ });
    await relays.waitFor({ timeout: WAIT_MS });
    for (const label of [foot.locator('p.link'), foot.getByRole('button', { name: 'Reconnect now' }), relays]) {
      await expect(textLines(label)).resolves.toBe(1);
    }
    await expect(textContrast(relays)).resolves.toBeGreaterThanOrEqual(4.5);
    // On a phone, in a thread, "Reconnecting…" comes with the relays that still carry the messages; their popover opens on screen.
    await bob.setViewportSize({ width: 360, height: 740 });
    const bar = bob.locator('kez-link-indicator.thread-link');
    await bar.getByText('Reconnecting…').waitFor({ timeout: WAIT_MS });
    await bar.getByRole('button', { name: /Nostr relays: ● live \(2\)/ }).click();
    const threadPopover = bar.getByRole('dialog', { name: 'Nostr relays' });
    await threadPopover.waitFor();
    await expect(inViewport(bob, threadPopover)).resolves.toBe(true);
    await screenshot(bob, 'relays-in-thread-server-down');
    await bob.keyboard.press('Escape');
    await bob.setViewportSize({ width: 1280, height: 800 });
    await send(alice, 'bob', 'the server is gone');
    await seesOnce(bob, 'the server is gone');
    await delivered(alice, 'the server is gone');
    await send(bob, 'alice', 'still here without it');
    await seesOnce(alice, 'still here without it');
    await delivered(bob, 'still here without it');
    // Only a brand-new chat needs the server, and it says so; the focus goes back to the field the error describes.
    await expect(startChatError(alice, 'carol')).resolves.toContain(
      'Your home server can’t be reached, and a new chat needs it to find this person. Chats you already have keep working over the nostr relays.',
    );
    await expect(focused(alice.getByLabel('Start a chat'))).resolves.toBe(true);
    await alice.getByLabel('Start a chat').fill('');
  }, 120_000);

  it('chats over the home server when the relays are stopped', async () => {
    await startServer();
    // The restarted server listens to both relays (its own gauge says so) before they go.
    await waitForMetric(server!.url, 'kez_chat_nostr_relays_connected', 2, 'the server connected to both relays', WAIT_MS);
    await open.close();
    await guarded.close();
    // The restarted server must still be up once the relays it listens to are gone. Its
    // log shows a failed reconnect to each: an event after the close it had to survive.
    await waitFor('the server retrying both relays', () => [open, guarded].every((relay) => retriedRelay(server!, relay)), WAIT_MS);
    expect({ exit: server!.child.exitCode, log: server!.child.exitCode === null ? '' : server!.output().slice(-4_000) }).toEqual({ exit: null, log: '' });
    // The browser says it is online again (as it does after a network change): the app
    // reconnects now instead of at the end of a backoff wait that grew while the server was down.
    for (const page of [alice, bob]) {
      await page.evaluate(() => window.dispatchEvent(new Event('online')));
      await page.locator('aside kez-link-indicator p.link[data-link="live"]').waitFor({ timeout: 90_000 });
    }
    await send(alice, 'bob', 'relays are gone');
    await seesOnce(bob, 'relays are gone');
    await delivered(alice, 'relays are gone');
    await send(bob, 'alice', 'the server carries it');
    await seesOnce(alice, 'the server carries it');
    await delivered(bob, 'the server carries it');
  }, 240_000);

  it('a receipt sent while alice is offline reaches her at her next start', async () => {
    await bob.close();
    await send(alice, 'bob', 'read this while I am away');
    await bubble(alice, 'read this while I am away').getByRole('img', { name: 'Sent' }).waitFor({ timeout: WAIT_MS });
    await alice.close();
    bob = await contexts[1].newPage();
    await bob.goto(url());
    await unlock(bob, 'bob prefers beavers 9');
    await conversationRow(bob, 'alice').click();
    await seesOnce(bob, 'read this while I am away');
    alice = await contexts[0].newPage();
    await alice.goto(url());
    await unlock(alice, 'alice likes otters 7');
    await conversationRow(alice, 'bob').click();
    await delivered(alice, 'read this while I am away');
  }, 120_000);

  it("lets the person edit the relay list in Settings, switching the running relays, and go back to the server's", async () => {
    await alice.getByRole('link', { name: 'Settings' }).click();
    const field = alice.getByLabel('Relays, one per line');
    await alice.getByText('The relays your home server proposes.').waitFor();
    await expect(field.inputValue()).resolves.toBe([`ws://127.0.0.1:${port}/relay`, `${open.url}/`, `${guarded.url}/`].join('\n'));
    await field.fill('wss://fine.test\nhttps://not-a-relay.test');
    const save = alice.getByRole('button', { name: 'Save relays' });
    await save.click();
    const problem = await alice.getByRole('alert').textContent();
    expect(problem).toContain('Not a relay address (ws:// or wss://): https://not-a-relay.test');
    expect(problem).toContain('Did you mean “wss://not-a-relay.test”?');
    await expect(field.getAttribute('aria-invalid')).resolves.toBe('true');
    // A repeat is merged and said so; saving from the keyboard keeps the focus on the button.
    await field.fill(`ws://127.0.0.1:${port}/relay\nWS://127.0.0.1:${port}/relay`);
    await save.press('Enter');
    await alice.getByText('Saved. Your own list. One address was listed twice and is kept once.').waitFor();
    await expect(field.inputValue()).resolves.toBe(`ws://127.0.0.1:${port}/relay`);
    await expect(focused(save)).resolves.toBe(true);
    await alice.getByRole('heading', { name: 'Relays', exact: true }).scrollIntoViewIfNeeded();
    await screenshot(alice, 'settings-relays');
    await alice.getByRole('link', { name: /Back to chats/ }).click();
    await alice.getByRole('button', { name: /Nostr relays: ● live \(1\)/ }).click();
    const items = alice.getByRole('dialog', { name: 'Nostr relays' }).getByRole('listitem');
    await items.first().waitFor();
    await expect(items.allTextContents()).resolves.toEqual([expect.stringMatching(new RegExp(`^127\\.0\\.0\\.1:${port}/relay: live`))]);
    // "Edit relays" opens Settings on the list itself, ready to type.
    await alice.getByRole('link', { name: 'Edit relays' }).click();
    await alice.waitForFunction(() => document.activeElement?.id === 'relay-list');
    // An empty list says what it means, and the popover says it once.
    await field.fill('');
    await save.click();
    await alice.getByText('Your own list is empty: messages travel through your home server only, and cannot be sent while it is down.').waitFor();
    await alice.getByRole('link', { name: /Back to chats/ }).click();
    await alice.getByRole('button', { name: /Nostr relays: ○ no relays/ }).click();
    const empty = (await alice.getByRole('dialog', { name: 'Nostr relays' }).textContent()) ?? '';
    expect(empty.match(/home server only/g)).toHaveLength(1);
    await alice.getByRole('link', { name: 'Edit relays' }).click();
    // The buttons wait for the stored list (a key press does not wait for "enabled" as a click does).
    await alice.getByText(/^Your own list is empty/).waitFor();
    await alice.getByRole('button', { name: "Use the server's relays" }).press('Enter');
    await alice.getByText('Saved. The relays your home server proposes.').waitFor();
    await expect(field.inputValue()).resolves.toContain(`${open.url}/`);
    // The button pressed is disabled now (nothing to go back to): the focus is on "Save relays", not lost.
    await expect(focused(save)).resolves.toBe(true);
  }, 60_000);
});

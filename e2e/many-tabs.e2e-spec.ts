import type { Browser, BrowserContext, Page, Request } from 'playwright-core';

import { type ServerProcess, startServerProcess } from '../server/test/support/server-process';
import { waitFor } from '../server/test/support/wait-for';
import { launchChromium } from './support/browser';
import { bubble, conversationRow, createAccount, send, startChat, unlock, waitForLink } from './support/kez-app';
import { serverMetric } from './support/server-metrics';

// Many tabs, one account: bob's tabs share one inbox stream (Web Locks pick the
// leader, BroadcastChannel relays its events), which the server's own metric shows;
// every tab shows new messages, those only the leader's relays brought included; the stream moves to another tab when the leader
// closes; locking one tab locks them all, unlocking one unlocks them all, and a new tab
// opened while another is unlocked starts unlocked; only the leading tab sends, so a
// message written in any tab is posted once, even when two tabs reload with it queued.

const BOB_PASSPHRASE = 'bob prefers beavers 9';
const WAIT_MS = 20_000;

describe('many tabs, one account', () => {
  let server: ServerProcess;
  let browser: Browser;
  let alice: Page;
  let bobContext: BrowserContext;
  let first: Page;
  let second: Page;

  /** `kez_chat_open_streams` from the server's /v1/metrics. */
  function openStreams(): Promise<number> {
    return serverMetric(server.url, 'kez_chat_open_streams');
  }

  /** A new tab of bob's: it starts unlocked when another tab is, through the channel. */
  async function openBobTab(): Promise<Page> {
    const page = await bobContext.newPage();
    await page.goto(`${server.url}/chats`);
    await page.getByRole('status', { name: 'Your KEZ' }).waitFor({ timeout: WAIT_MS });
    await waitForLink(page, 'Live', WAIT_MS);
    return page;
  }

  beforeAll(async () => {
    server = await startServerProcess();
    browser = await launchChromium();
    alice = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB' })).newPage();
    bobContext = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
    await createAccount(alice, server.url, 'alice', 'alice likes otters 7');
    first = await bobContext.newPage();
    await createAccount(first, server.url, 'bob', BOB_PASSPHRASE);
    await waitForLink(first, 'Live', WAIT_MS);
    await waitForLink(alice, 'Live', WAIT_MS);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  }, 30_000);

  it('keeps one stream open for two tabs of one account', async () => {
    second = await openBobTab();
    // Alice's stream and bob's one: the second tab is live through the first tab's stream.
    expect(await openStreams()).toBe(2);
  }, 60_000);

  it('shows a new message in both tabs', async () => {
    await startChat(alice, 'bob');
    await send(alice, 'bob', 'Hello to every tab');
    for (const tab of [first, second]) {
      await conversationRow(tab, 'alice').filter({ hasText: 'Hello to every tab' }).waitFor({ timeout: WAIT_MS });
    }
  }, 60_000);

  it('shows a message that only the relays carried in both tabs at once, the following tab included', async () => {
    // The relays run in the leading tab alone; it hands what they bring to the others.
    await alice.getByRole('button', { name: /Nostr relays: ● live/ }).waitFor({ timeout: WAIT_MS });
    await first.getByRole('button', { name: /Nostr relays: ● live/ }).waitFor({ timeout: WAIT_MS });
    // Alice's posts to the home server get no answer: this message goes over the relays alone.
    await alice.route('**/v1/messages', (route) => (route.request().method() === 'POST' ? route.abort() : route.continue()));
    try {
      await send(alice, 'bob', 'Only a relay carried this');
      for (const tab of [first, second]) {
        await conversationRow(tab, 'alice').filter({ hasText: 'Only a relay carried this' }).waitFor({ timeout: WAIT_MS });
      }
    } finally {
      await alice.unroute('**/v1/messages');
    }
  }, 60_000);

  /**
   * Bob's posts to alice that reached the server and would wake her (his messages,
   * not receipts or copies to self), from now until `stop()`; `reached(n)` waits
   * until the browser has seen n of them answered.
   */
  function countPostsToAlice(): { readonly count: () => number; readonly reached: (n: number) => Promise<void>; readonly stop: () => void } {
    let count = 0;
    const note = (request: Request) => {
      if (request.method() === 'POST' && request.url().endsWith('/v1/messages')) {
        const body = request.postDataJSON() as { to?: string; push?: boolean };
        if (body.to === 'alice' && body.push !== false) {
          count++;
        }
      }
    };
    bobContext.on('requestfinished', note);
    return {
      count: () => count,
      reached: (n) => waitFor(`${n} post(s) to alice answered`, () => count >= n, WAIT_MS),
      stop: () => bobContext.off('requestfinished', note),
    };
  }

  it('sends a message written in the following tab once, from the leading tab, and shows its tick in both', async () => {
    const posts = countPostsToAlice();
    await conversationRow(second, 'alice').click();
    await send(second, 'alice', 'Written in the second tab');
    await bubble(alice, 'Written in the second tab').waitFor({ timeout: WAIT_MS });
    for (const tab of [second, first]) {
      await conversationRow(tab, 'alice').click();
      await bubble(tab, 'Written in the second tab')
        .getByRole('img', { name: /^(Sent|Delivered)$/ })
        .waitFor({ timeout: WAIT_MS });
    }
    // A second message is a barrier: had the second tab posted the first one too, that post came before this one's.
    await send(second, 'alice', 'And one more');
    await bubble(alice, 'And one more').waitFor({ timeout: WAIT_MS });
    // The barrier's own post answered (its tick), and counted.
    await bubble(second, 'And one more')
      .getByRole('img', { name: /^(Sent|Delivered)$/ })
      .waitFor({ timeout: WAIT_MS });
    await posts.reached(2);
    expect(posts.count()).toBe(2);
    posts.stop();
  }, 60_000);

  /** Reloads bob's tabs one after the other: each starts unlocked from the other, as after a browser restart with one tab kept. */
  async function reloadEach(): Promise<void> {
    for (const tab of [first, second]) {
      await tab.reload();
      await waitForLink(tab, 'Live', WAIT_MS);
    }
  }

  it('sends a message two reloaded tabs both found queued only once', async () => {
    const posts = countPostsToAlice();
    // Nothing leaves bob's browser: the home server's answers never come, the relays never answer.
    await bobContext.route('**/v1/messages', (route) => (route.request().method() === 'POST' ? route.abort() : route.continue()));
    await bobContext.routeWebSocket(
      () => true,
      () => undefined,
    );
    await reloadEach();
    await conversationRow(first, 'alice').click();
    await send(first, 'alice', 'Queued across a reload');
    await bubble(first, 'Queued across a reload').getByRole('img', { name: 'Waiting to send' }).waitFor({ timeout: WAIT_MS });
    // Both tabs reload and find it queued; then the way out opens and every tab hears "online".
    await reloadEach();
    for (const tab of [first, second]) {
      await conversationRow(tab, 'alice').click();
      await bubble(tab, 'Queued across a reload').getByRole('img', { name: 'Waiting to send' }).waitFor({ timeout: WAIT_MS });
    }
    await bobContext.unroute('**/v1/messages');
    for (const tab of [first, second]) {
      await tab.evaluate(() => window.dispatchEvent(new Event('online')));
    }
    await bubble(alice, 'Queued across a reload').waitFor({ timeout: WAIT_MS });
    await send(first, 'alice', 'After the queue');
    await bubble(alice, 'After the queue').waitFor({ timeout: WAIT_MS });
    await bubble(first, 'After the queue')
      .getByRole('img', { name: /^(Sent|Delivered)$/ })
      .waitFor({ timeout: WAIT_MS });
    await bubble(second, 'Queued across a reload')
      .getByRole('img', { name: /^(Sent|Delivered)$/ })
      .waitFor({ timeout: WAIT_MS });
    // The aborted attempts never reached the server; of those that did, one per message.
    await posts.reached(2);
    expect(posts.count()).toBe(2);
    posts.stop();
    expect(await alice.locator('kez-message-bubble', { hasText: 'Queued across a reload' }).count()).toBe(1);
  }, 90_000);

  it('moves the stream to another tab when the leading one closes', async () => {
    await first.close();
    await waitForLink(second, 'Live', WAIT_MS);
    await send(alice, 'bob', 'Still there?');
    await conversationRow(second, 'alice').filter({ hasText: 'Still there?' }).waitFor({ timeout: WAIT_MS });
    await waitFor('one stream each for alice and bob', async () => (await openStreams()) === 2, WAIT_MS);
  }, 60_000);

  it('locks every tab when one locks, and unlocks them all when one unlocks', async () => {
    const third = await openBobTab();
    await third.getByRole('button', { name: 'Lock' }).click();
    await third.waitForURL('**/unlock');
    await second.waitForURL('**/unlock', { timeout: WAIT_MS });
    await second.getByRole('heading', { name: 'Welcome back' }).waitFor();
    await waitFor('alice’s stream alone', async () => (await openStreams()) === 1, WAIT_MS);

    // A tab opened now stays locked: no tab has the keys.
    const fourth = await bobContext.newPage();
    await fourth.goto(`${server.url}/chats`);
    await fourth.getByRole('heading', { name: 'Welcome back' }).waitFor();

    await unlock(third, BOB_PASSPHRASE);
    for (const tab of [second, fourth]) {
      await tab.waitForURL('**/chats', { timeout: WAIT_MS });
      await tab.getByRole('status', { name: 'Your KEZ' }).waitFor();
    }
    await waitFor('one stream for bob again', async () => (await openStreams()) === 2, WAIT_MS);
  }, 60_000);
});

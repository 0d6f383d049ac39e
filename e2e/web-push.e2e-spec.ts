import type { Browser, BrowserContext, Page } from 'playwright-core';

import { authString, deriveIdentity, type Identity, phraseToSeed, signAuth } from '@kez/crypto';

import { freePort } from '../server/test/support/free-port';
import { PushReceiver } from '../server/test/support/push-receiver';
import { type ServerProcess, startServerProcess } from '../server/test/support/server-process';
import { waitFor } from '../server/test/support/wait-for';
import { launchChromium, screenshot } from './support/browser';
import { bubble, choosePassphrase, conversationRow, createAccount, send, startChat, unlock } from './support/kez-app';
import { answerPermissionPrompts, installPushStandIn, type PermissionPrompts, rotateStandIn, standInEndpoint } from './support/push-stand-in';
import { inViewport } from './support/layout';
import { enterPhrase } from './support/restore';
import { waitForMetric } from './support/server-metrics';
import { appWorker, deliverPush, launchProfile, shownNotifications, waitForPrecache } from './support/service-worker';

// Web Push end to end: the click that finishes creating bob's identity, with one line
// saying so beside it, asks the browser's permission (while its gesture is live) and
// subscribes with the server's VAPID key (through the push stand-in, since Chromium's
// push service is out of reach); never a second prompt after a refusal. The server sends a
// VAPID-signed empty push to the local receiver when alice writes while bob's page is
// closed, the push delivered to bob's worker over CDP shows "New message", and a click
// routes to the chats. Then the self-heal: a subscription the server dropped (the push
// service answered 410) is registered again at bob's next unlock.

const BOB_PASSPHRASE = 'bob prefers beavers 9';
const WAIT_MS = 20_000;

describe('Web Push in the browser', () => {
  let port: number;
  let server: ServerProcess;
  let receiver: PushReceiver;
  let browser: Browser;
  let aliceContext: BrowserContext;
  let alice: Page;
  let bobContext: BrowserContext;
  let bob: Page;
  let endpoint: string;

  let bobIdentity: Identity;

  const url = () => `http://127.0.0.1:${port}`;

  /** Asks the server, as bob (signed with his key, from his recovery phrase), whether it holds `push`. */
  async function serverHas(push: string): Promise<boolean> {
    const auth = signAuth((ts) => authString.pushCheck('bob', push, ts), bobIdentity.edSecret);
    const response = await fetch(`${url()}/v1/push/subscriptions/bob?endpoint=${encodeURIComponent(push)}`, { headers: { 'X-KEZ-Auth': auth } });
    return ((await response.json()) as { subscribed: boolean }).subscribed;
  }

  /** Closes every window of bob's app, keeping one blank page so the browser (and CDP) stay up. */
  async function closeBob(): Promise<Page> {
    const blank = await bobContext.newPage();
    for (const page of bobContext.pages()) {
      if (page !== blank) {
        await page.close();
      }
    }
    // A closing window can stay among the worker's clients for a moment, and the worker
    // tells a visible window instead of showing a notification: wait until it sees none.
    await waitFor(
      "bob's windows gone from the worker's clients",
      async () =>
        (await (
          await appWorker(bobContext)
        ).evaluate(async () => {
          const scope = self as unknown as { clients: { matchAll(options: object): Promise<readonly unknown[]> } };
          return (await scope.clients.matchAll({ type: 'window', includeUncontrolled: true })).length;
        })) === 0,
      WAIT_MS,
    );
    // Nor may the server still count a stream of bob's: a message it hands to a live
    // stream wakes nobody. Alice's stream is the one left.
    await waitForMetric(url(), 'kez_chat_open_streams', 1, "bob's stream gone from the server", WAIT_MS);
    return blank;
  }

  async function openBob(): Promise<Page> {
    bob = await bobContext.newPage();
    await bob.goto(`${url()}/chats`);
    await unlock(bob, BOB_PASSPHRASE);
    return bob;
  }

  /** Alice writes to bob and waits until the server has accepted it. */
  async function aliceWrites(text: string): Promise<void> {
    await send(alice, 'bob', text);
    await bubble(alice, text).getByRole('img', { name: 'Sent' }).waitFor({ timeout: WAIT_MS });
  }

  async function pushesToBob(count: number): Promise<void> {
    await waitFor(`${count} push(es) to bob's endpoint`, () => receiver.pushesTo(endpoint).length >= count, WAIT_MS);
  }

  /**
   * A new person at a desktop browser who answers the notification prompt with `answer`,
   * creating `handle`: the context (close it at the end), the page and the prompts seen.
   */
  async function newcomer(answer: PermissionPrompts['answer'], handle: string, passphrase: string, options: { standIn?: boolean } = {}) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
    if (options.standIn) {
      await installPushStandIn(context, receiver);
    }
    const prompts = await answerPermissionPrompts(context, url(), answer);
    const page = await context.newPage();
    await createAccount(page, url(), handle, passphrase);
    return { context, page, prompts };
  }

  beforeAll(async () => {
    receiver = await PushReceiver.start();
    port = await freePort();
    server = await startServerProcess({ port, env: { KEZ_CHAT_PUSH_ALLOW_INSECURE: 'true' } });
    const key = (await (await fetch(`${url()}/v1/push/vapid-public-key`)).json()) as { publicKey: string };
    receiver.expectServerKey(key.publicKey);
    browser = await launchChromium();
    aliceContext = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
    alice = await aliceContext.newPage();
    bobContext = await launchProfile();
    await installPushStandIn(bobContext, receiver);
    bob = bobContext.pages()[0] ?? (await bobContext.newPage());
  }, 60_000);

  afterAll(async () => {
    await bobContext?.close();
    await browser?.close();
    await server?.stop();
    await receiver?.close();
  }, 30_000);

  it('asks at the click that finishes creating the identity, explained beside it, then subscribes on the server', async () => {
    const prompts = await answerPermissionPrompts(bobContext, url(), 'granted');
    await createAccount(alice, url(), 'alice', 'alice likes otters 7');
    const words = await createAccount(bob, url(), 'bob', BOB_PASSPHRASE, undefined, async () => {
      const register = bob.getByRole('button', { name: 'Register' });
      expect(await register.getAttribute('aria-describedby')).toBe('notification-offer');
      expect(await bob.locator('#notification-offer').textContent()).toContain(
        'This also turns on notifications: they say only “New message”, never who wrote or what.',
      );
      expect(prompts.asked).toEqual([]);
      await screenshot(bob, 'notification-permission');
    });
    bobIdentity = deriveIdentity(phraseToSeed(words.join(' ')));
    // The prompt came from the Register click itself, while its user activation was live.
    expect(prompts.asked).toEqual([{ userActivation: true }]);
    await waitFor('a push subscription', async () => (await standInEndpoint(bob)) !== null, WAIT_MS);
    endpoint = (await standInEndpoint(bob))!;
    expect(endpoint).toMatch(new RegExp(`^${receiver.origin}/push/[0-9a-f]{24}$`));
    await waitFor('the subscription on the server', () => serverHas(endpoint), WAIT_MS);
    await waitForPrecache(bob);
    // On: no card in the chat list, and the next unlock offers nothing.
    expect(await bob.locator('kez-notification-prompt').textContent()).toBe('');
  }, 90_000);

  it('wakes bob with one VAPID-signed, empty push while his page is closed', async () => {
    await startChat(alice, 'bob');
    const blank = await closeBob();
    await aliceWrites('Are you there, Bob?');
    await pushesToBob(1);
    const [push] = receiver.pushesTo(endpoint);
    expect(push.problems).toEqual([]);
    expect(push.leaked).toBeUndefined();
    expect(push.answered).toBe(201);

    // The push service would now wake bob's worker: CDP does that here.
    // The worker may have been stopped once bob's pages closed; the push starts it
    // again, so it is looked up afresh at every poll (a stopped one cannot answer).
    await appWorker(bobContext);
    await deliverPush(blank, url());
    // Runs in the worker, whose global is a ServiceWorkerGlobalScope.
    const notifications = async () =>
      (await appWorker(bobContext)).evaluate(async () =>
        (await (self as unknown as { registration: ServiceWorkerRegistration }).registration.getNotifications()).map((n) => ({
          title: n.title,
          tag: n.tag,
          body: n.body,
        })),
      );
    await waitFor('a notification from the worker', async () => (await notifications()).length > 0, WAIT_MS);
    const shown = await notifications();
    expect(shown).toEqual([{ title: 'New message', tag: 'kez-new-message', body: 'Open KEZ chat to read it.' }]);
  }, 60_000);

  it('routes an open window to the chats when the notification is clicked', async () => {
    await openBob();
    await conversationRow(bob, 'alice').click();
    await bob.waitForURL('**/chats/alice');
    const worker = await appWorker(bobContext);
    // A system notification cannot be clicked from a test; this runs the click handler's own path.
    await worker.evaluate(() => (self as unknown as { kezOpenChats(): Promise<void> }).kezOpenChats());
    await bob.waitForURL(`${url()}/chats`, { timeout: WAIT_MS });
    expect(await shownNotifications(bob)).toHaveLength(1);
  }, 60_000);

  it('tells a visible, focused window instead of showing a notification', async () => {
    const worker = await appWorker(bobContext);
    await worker.evaluate(async () => {
      for (const shown of await (self as unknown as { registration: ServiceWorkerRegistration }).registration.getNotifications()) {
        shown.close();
      }
    });
    await bob.bringToFront();
    expect(await bob.evaluate(() => document.visibilityState === 'visible' && document.hasFocus())).toBe(true);
    await bob.evaluate(() => {
      const page = window as unknown as { kezWorkerSaid: unknown[] };
      page.kezWorkerSaid = [];
      navigator.serviceWorker.addEventListener('message', (event) => page.kezWorkerSaid.push(event.data));
    });
    await deliverPush(bob, url());
    await bob.waitForFunction(() => (window as unknown as { kezWorkerSaid: unknown[] }).kezWorkerSaid.length > 0, undefined, { timeout: WAIT_MS });
    expect(await bob.evaluate(() => (window as unknown as { kezWorkerSaid: unknown[] }).kezWorkerSaid)).toEqual([{ kez: 'push' }]);
    expect(await shownNotifications(bob)).toEqual([]);
  }, 60_000);

  it('registers the new endpoint when the browser replaces the subscription', async () => {
    const rotated = await rotateStandIn(bob);
    expect(rotated).not.toBe(endpoint);
    const worker = await appWorker(bobContext);
    // pushsubscriptionchange with the new subscription already made: the worker tells the windows.
    await worker.evaluate(() =>
      (self as unknown as { kezSubscriptionChanged(event: object): Promise<void> }).kezSubscriptionChanged({ oldSubscription: null, newSubscription: {} }),
    );
    await waitFor('the new endpoint on the server', () => serverHas(rotated), WAIT_MS);
    endpoint = rotated;
  }, 60_000);

  it('registers again at the next start a subscription the server dropped', async () => {
    // The push service says the subscription is gone: the server deletes it.
    await closeBob();
    const before = receiver.pushesTo(endpoint).length;
    receiver.answer(endpoint, { status: 410 });
    await aliceWrites('This push bounces.');
    await pushesToBob(before + 1);
    expect(receiver.pushesTo(endpoint)[before].answered).toBe(410);

    // Bob comes back: the self-heal check finds the server lost it and registers it again.
    expect(await serverHas(endpoint)).toBe(false);
    await openBob();
    await waitFor('the subscription back on the server', () => serverHas(endpoint), WAIT_MS);

    await closeBob();
    await aliceWrites('Back again?');
    await pushesToBob(before + 2);
    expect(receiver.pushesTo(endpoint)[before + 1].answered).toBe(201);
  }, 90_000);

  it('turns a closed prompt into a nudge that stays dismissed, and does not offer again', async () => {
    // The person closes the browser's prompt without answering.
    const { context, page, prompts } = await newcomer('default', 'dora', 'dora reads maps 3');
    expect(prompts.asked).toHaveLength(1);
    const nudge = page.getByRole('region', { name: 'Notifications are off' });
    await nudge.waitFor();
    await screenshot(page, 'notification-nudge');
    await nudge.getByRole('button', { name: 'Dismiss' }).click();
    await nudge.waitFor({ state: 'detached' });
    // Focus stays where the card was: the next Tab reaches "Start a chat", not the page's first link.
    await page.waitForFunction(() => document.activeElement?.tagName === 'KEZ-NOTIFICATION-PROMPT');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(await page.getByLabel('Start a chat').getAttribute('id'));
    await page.reload();
    await page.getByRole('heading', { name: 'Welcome back' }).waitFor();
    expect(await page.locator('#notification-offer').count()).toBe(0);
    await unlock(page, 'dora reads maps 3');
    await page.getByRole('status', { name: 'Your KEZ' }).waitFor();
    expect(await page.locator('kez-notification-prompt').textContent()).toBe('');
    expect(prompts.asked).toHaveLength(1);
    await context.close();
  }, 90_000);

  it('never prompts again after a refusal, and says how to undo it', async () => {
    // The person answers "Block" in the browser's prompt.
    const { context, page, prompts } = await newcomer('denied', 'erin', 'erin keeps bees 5');
    const blocked = page.getByRole('region', { name: 'Notifications are blocked' });
    await blocked.waitFor();
    expect(await blocked.textContent()).toContain('allow notifications in the browser’s site settings');
    await page.reload();
    await page.getByRole('heading', { name: 'Welcome back' }).waitFor();
    expect(await page.locator('#notification-offer').count()).toBe(0);
    await unlock(page, 'erin keeps bees 5');
    await blocked.waitFor();
    expect(await page.getByRole('button', { name: /Turn on/ }).count()).toBe(0);
    expect(prompts.asked).toHaveLength(1);
    await context.close();
  }, 90_000);

  it('holds nothing up while the prompt stays unanswered: Settings says off, and its switch works', async () => {
    const { context, page, prompts } = await newcomer('unanswered', 'hal', 'hal paints doors 6');
    expect(prompts.asked).toHaveLength(1);
    await page.getByRole('link', { name: 'Settings' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /^\s*Off:/ })
      .waitFor({ timeout: WAIT_MS });
    expect(await page.getByRole('switch', { name: 'Notifications on this device' }).isEnabled()).toBe(true);
    await context.close();
  }, 90_000);

  it('offers at the first unlock in a browser that was never asked, and subscribes', async () => {
    const { context, page, prompts } = await newcomer('default', 'gus', 'gus grows leeks 4', { standIn: true });
    // A browser where the offer was never made (say, the identity came before this version of the app).
    await page.evaluate(() => localStorage.removeItem('kez.push.asked'));
    prompts.answer = 'granted';
    await page.reload();
    await page.getByRole('heading', { name: 'Welcome back' }).waitFor();
    expect(await page.getByRole('button', { name: 'Unlock', exact: true }).getAttribute('aria-describedby')).toBe('notification-offer');
    await screenshot(page, 'notification-offer-unlock');
    await unlock(page, 'gus grows leeks 4');
    expect(prompts.asked).toEqual([{ userActivation: true }, { userActivation: true }]);
    await waitFor('a push subscription', async () => (await standInEndpoint(page)) !== null, WAIT_MS);
    await context.close();
  }, 90_000);

  it('offers at "Restore my identity" in a new browser, and subscribes', async () => {
    const first = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
    await answerPermissionPrompts(first, url(), 'default');
    const words = await createAccount(await first.newPage(), url(), 'ida', 'ida fixes clocks 2');
    await first.close();

    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'en-GB' });
    await installPushStandIn(context, receiver);
    const prompts = await answerPermissionPrompts(context, url(), 'granted');
    const page = await context.newPage();
    await enterPhrase(page, url(), words);
    await page.getByRole('heading', { name: 'Choose a passphrase' }).waitFor();
    // The new step starts at its top on a phone, not scrolled down as the long first step was.
    expect(await inViewport(page, page.getByRole('heading', { name: 'Choose a passphrase' }))).toBe(true);
    expect(await page.locator('#notification-offer').textContent()).toContain('This also turns on notifications');
    await screenshot(page, 'notification-offer-restore-phone');
    await choosePassphrase(page, 'ida mends more clocks 4', 'Restore my identity');
    await page.waitForURL('**/chats', { timeout: WAIT_MS });
    expect(prompts.asked).toEqual([{ userActivation: true }]);
    await waitFor('a push subscription', async () => (await standInEndpoint(page)) !== null, WAIT_MS);
    await context.close();
  }, 90_000);

  it('tells iPhone users in Safari to add the app to the Home Screen', async () => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      locale: 'en-GB',
      isMobile: true,
      hasTouch: true,
      userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
    });
    const page = await context.newPage();
    await createAccount(page, url(), 'finn', 'finn sails boats 8');
    const hint = page.getByRole('region', { name: 'Add to Home Screen' });
    await hint.waitFor();
    expect(await hint.textContent()).toContain('tap Share, then “Add to Home Screen”');
    await screenshot(page, 'home-screen-hint-phone');
    await context.close();
  }, 90_000);
});

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { generateMnemonic } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';

import { freePort } from '../server/test/support/free-port';
import { registerUser } from '../server/test/support/inbox-client';
import { type ServerProcess, startServerProcess } from '../server/test/support/server-process';
import { launchChromium, screenshot } from './support/browser';
import { bubble, choosePassphrase, conversationRow, send, waitForClipboard } from './support/kez-app';
import { waitForFocus } from './support/focus';
import { waitForScreensFetched } from './support/lazy-screens';
import { enterPhrase, withWrongLastWord } from './support/restore';
import { cutTexts, horizontalOverflow, inViewport, longestServerName, overflowingElements } from './support/layout';

// A new user's first walk through the client on a 360 px phone, on a server whose
// name is the longest the configuration allows, with the longest handle: onboarding
// (steps, Back and Forward, the phrase check, passphrase strength, handle messages),
// the chat list and a thread at 320 and 360 px, "@bob" and deep links, the unlock
// screen returning to the link, a message that cannot be sent in view with its
// reason, the connection state in an open thread, and links during an outage.

const SERVER = longestServerName();
const HANDLE = 'a'.repeat(20) + '_long-handle';
const PASSPHRASE = 'thirty two characters of handle';
const PHONE = { width: 360, height: 740 };
const NARROW = { width: 320, height: 640 };
const DESKTOP = { width: 1280, height: 800 };

describe('A new user on a phone: onboarding, long addresses, deep links, failures in view, status in the thread', () => {
  let port: number;
  let database: string;
  let server: ServerProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  const url = () => `http://127.0.0.1:${port}`;
  const startServer = async () => {
    server = await startServerProcess({ port, env: { KEZ_CHAT_SERVER: SERVER, KEZ_CHAT_DB: database } });
  };
  const alert = () => page.getByRole('alert');
  /** Checks the current screen at 320 and at 360 px (ending at 360): nothing sticks out sideways. */
  const holdsOnPhones = async () => {
    for (const size of [NARROW, PHONE]) {
      await page.setViewportSize(size);
      expect({ overflow: await horizontalOverflow(page), culprits: await overflowingElements(page) }).toEqual({ overflow: 0, culprits: [] });
    }
  };
  /** Unlocks on /unlock (with or without a link to return to). */
  const unlockHere = async () => {
    await page.waitForURL(/\/unlock(\?|$)/);
    await page.getByLabel('Passphrase').fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Unlock' }).click();
  };
  const handleStatus = () => page.locator('#handle-status');

  beforeAll(async () => {
    expect(HANDLE).toHaveLength(32);
    port = await freePort();
    database = join(mkdtempSync(join(tmpdir(), 'kez-e2e-new-user-')), 'kez.db');
    await startServer();
    // bob, and a 32-character peer, registered by other clients.
    await registerUser(url(), 'bob', SERVER);
    await registerUser(url(), 'z'.repeat(32), SERVER);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: PHONE, locale: 'en-GB' });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: url() });
    page = await context.newPage();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  }, 30_000);

  it('walks the create steps with Back and Forward keeping the same phrase, and numbers all four steps', async () => {
    await page.goto(url());
    await page.getByRole('link', { name: 'Create my identity' }).waitFor();
    await holdsOnPhones();
    await page.getByRole('link', { name: 'Create my identity' }).click();
    await page.getByText('Step 1 of 4').waitFor();
    await holdsOnPhones();
    const words = await page.locator('.phrase__w').allTextContents();
    await page.getByRole('button', { name: 'I’ve written them down' }).click();
    await page.getByText('Step 2 of 4').waitFor();

    await page.goBack();
    await page.getByText('Step 1 of 4').waitFor();
    expect(page.url()).toContain('/create');
    expect(await page.locator('.phrase__w').allTextContents()).toEqual(words);
    await page.goForward();
    await page.getByText('Step 2 of 4').waitFor();

    const labels = page.locator('label', { hasText: /^Word #\d+$/ });
    for (const label of await labels.allTextContents()) {
      await page.getByLabel(label, { exact: true }).fill(words[Number(label.replace('Word #', '')) - 1]);
    }
    await holdsOnPhones();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByText('Step 3 of 4').waitFor();
    await holdsOnPhones();
  }, 60_000);

  it('refuses an easily guessed passphrase and says why, with the focus back on the field', async () => {
    for (const weak of ['password', '12345678']) {
      await choosePassphrase(page, weak, 'Protect my identity');
      await alert().filter({ hasText: 'Too easy to guess' }).waitFor();
      expect(page.url()).toContain('/create');
      expect((await waitForFocus(page, 'passphrase')).described).toContain('Too easy to guess');
    }
    await page.getByText('Strength: Too easy to guess').waitFor();
    // The browser refuses to store the identity: the message is tied to the passphrase field, which has the focus again.
    await page.evaluate(() => {
      const put = IDBObjectStore.prototype.put;
      (globalThis as { restorePut?: () => void }).restorePut = () => (IDBObjectStore.prototype.put = put);
      IDBObjectStore.prototype.put = () => {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      };
    });
    await choosePassphrase(page, PASSPHRASE, 'Protect my identity');
    await alert().filter({ hasText: 'could not be saved' }).waitFor({ timeout: 20_000 });
    expect((await waitForFocus(page, 'passphrase')).described).toContain('could not be saved in this browser');
    await page.evaluate(() => (globalThis as { restorePut?: () => void }).restorePut?.());
    await choosePassphrase(page, PASSPHRASE, 'Protect my identity');
    await page.waitForURL('**/register', { timeout: 20_000 });
    // The fourth of the four steps the create screens counted.
    await page.getByText('Step 4 of 4').waitFor();
  }, 60_000);

  it('says what is wrong with a handle, and a taken one submitted with Enter gets one message, not two', async () => {
    const field = page.getByLabel('Handle', { exact: true });
    // Every registration this browser posts: the refused one below must be the first.
    const registrations: string[] = [];
    const noteRegistration = (request: Request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname === '/v1/register') {
        registrations.push(request.postData() ?? '');
      }
    };
    page.on('request', noteRegistration);
    const cases: [string, string][] = [
      ['ålice', 'Not allowed: “å” (U+00E5)'],
      ['\u0430lice', 'Not allowed: “\u0430” (U+0430)'],
      ['ａｌｉｃｅ', 'Not allowed: “ａ” (U+FF41)'],
      ['a', 'Use at least 2 characters.'],
      ['_alice', 'Start with a letter a–z or a digit'],
    ];
    for (const [typed, message] of cases) {
      await field.fill(typed);
      await handleStatus().getByText(message).waitFor();
    }
    await field.fill('bob');
    await field.press('Enter');
    await handleStatus().getByText('is already taken').waitFor();
    expect(await page.locator('.alert').count()).toBe(0);
    expect(page.url()).toContain('/register');
    expect((await waitForFocus(page, 'handle')).described).toContain('is already taken');

    // A registration the server refuses (rate limited): the field keeps the focus, described by the reason.
    await field.fill('carol');
    await handleStatus().getByText('is available').waitFor();
    await page.route('**/v1/register', (route) =>
      route.fulfill({
        status: 429,
        contentType: 'application/json',
        headers: { 'Retry-After': '60' },
        body: JSON.stringify({ error: 'rate_limited', message: 'slow down' }),
      }),
    );
    await page.getByRole('button', { name: 'Register' }).click();
    const refused = await alert().filter({ hasText: /./ }).first().textContent();
    const focused = await waitForFocus(page, 'handle');
    expect(focused.described).toContain(refused!.trim());
    await page.unroute('**/v1/register');
    // That refusal came after the Enter on a taken handle: had the Enter posted it, its post would be counted first.
    expect(registrations.map((body) => (JSON.parse(body) as { payload: { handle: string } }).payload.handle)).toEqual(['carol']);
    page.off('request', noteRegistration);

    await field.fill(HANDLE);
    await handleStatus().getByText('is available').waitFor();
    expect({ overflow: await horizontalOverflow(page), culprits: await overflowingElements(page) }).toEqual({ overflow: 0, culprits: [] });
    await page.getByRole('button', { name: 'Register' }).click();
    await page.waitForURL('**/chats');
  }, 60_000);

  it('holds the chat list at 320 and 360 px with the longest handle and server name, Lock, Copy and Chat in view', async () => {
    await page.getByRole('status', { name: 'Your KEZ' }).waitFor();
    for (const size of [NARROW, PHONE]) {
      await page.setViewportSize(size);
      expect({ overflow: await horizontalOverflow(page), culprits: await overflowingElements(page) }).toEqual({ overflow: 0, culprits: [] });
      // The whole address can be read: it wraps rather than being cut with "…".
      expect(await cutTexts(page, SERVER)).toEqual([]);
      for (const control of [
        page.getByRole('button', { name: 'Lock' }),
        page.getByRole('button', { name: `Copy ${HANDLE}@${SERVER}` }),
        page.getByRole('button', { name: 'Chat', exact: true }),
        page.getByLabel('Start a chat'),
      ]) {
        expect(await inViewport(page, control)).toBe(true);
      }
      // Two lines until "Show all", which shows every character.
      const address = page.getByRole('status', { name: 'Your KEZ' });
      const clipped = () => address.evaluate((element) => element.scrollHeight > element.clientHeight + 1);
      expect(await clipped()).toBe(true);
      await page.getByRole('button', { name: 'Show all' }).click();
      // Measured once the button says the address is shown whole (the same render).
      await page.getByRole('button', { name: 'Show less' }).waitFor();
      expect(await clipped()).toBe(false);
      expect((await address.textContent())?.trim()).toBe(`${HANDLE}@${SERVER}`);
      await screenshot(page, `phone-long-address-all-${size.width}`);
      await page.getByRole('button', { name: 'Show less' }).click();
      await page.getByRole('button', { name: 'Show all' }).waitFor();
    }
    await page.getByRole('button', { name: `Copy ${HANDLE}@${SERVER}` }).click();
    await waitForClipboard(page, `${HANDLE}@${SERVER}`);
    await screenshot(page, 'phone-long-address');
    // A clipboard that refuses is said, next to the button.
    await page.evaluate(() => {
      navigator.clipboard.writeText = () => Promise.reject(new DOMException('refused', 'NotAllowedError'));
    });
    const copy = page.getByRole('button', { name: `Copy ${HANDLE}@${SERVER}` });
    await copy.click();
    await page.getByRole('alert').filter({ hasText: 'Could not copy' }).waitFor();
    expect(await copy.getAttribute('aria-describedby')).toBe('my-kez-copy-error');
  }, 60_000);

  it('accepts "@handle" in Start a chat and holds a thread with a 32-character peer at 320 px', async () => {
    await page.getByLabel('Start a chat').fill(`@${'z'.repeat(32)}`);
    await page.getByRole('button', { name: 'Chat', exact: true }).click();
    await page.waitForURL(`**/chats/${'z'.repeat(32)}`);
    await send(page, 'z'.repeat(32), 'Hello from a long address');
    await bubble(page, 'Hello from a long address')
      .getByRole('img', { name: /^(Sent|Delivered)$/ })
      .waitFor();
    for (const size of [NARROW, PHONE]) {
      await page.setViewportSize(size);
      expect({ overflow: await horizontalOverflow(page), culprits: await overflowingElements(page) }).toEqual({ overflow: 0, culprits: [] });
      expect(await inViewport(page, page.getByLabel(`Message @${'z'.repeat(32)}`))).toBe(true);
      // The header's name and the list's row (on wide screens beside the thread) show it whole.
      expect(await cutTexts(page, 'z'.repeat(32))).toEqual([]);
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    expect(await cutTexts(page, 'z'.repeat(32))).toEqual([]);
    await screenshot(page, 'desktop-long-address-thread');
    await page.setViewportSize(PHONE);
    await screenshot(page, 'phone-long-address-thread');
  }, 60_000);

  it('resolves deep links to the canonical conversation, and explains one that finds nobody', async () => {
    // A link opened in the browser loads the app afresh: unlock, then the link.
    await page.goto(`${url()}/chats/BOB`);
    for (const size of [NARROW, PHONE]) {
      await page.setViewportSize(size);
      await page.getByLabel('Passphrase').waitFor();
      expect({ overflow: await horizontalOverflow(page), culprits: await overflowingElements(page) }).toEqual({ overflow: 0, culprits: [] });
    }
    await unlockHere();
    await page.waitForURL('**/chats/bob', { timeout: 20_000 });
    await page.getByRole('heading', { name: '@bob' }).waitFor();

    await page.evaluate((path) => history.pushState(null, '', path), `/chats/bob@${SERVER}`);
    await page.evaluate(() => dispatchEvent(new PopStateEvent('popstate')));
    await page.waitForURL('**/chats/bob', { timeout: 20_000 });
    await page.getByRole('heading', { name: '@bob' }).waitFor();

    // The thread is reused from link to link: a spelling it resolved before resolves again.
    await page.evaluate((path) => history.pushState(null, '', path), `/chats/bob@${SERVER}`);
    await page.evaluate(() => dispatchEvent(new PopStateEvent('popstate')));
    await page.waitForURL('**/chats/bob', { timeout: 20_000 });
    await page.getByRole('heading', { name: '@bob' }).waitFor();

    await page.evaluate(() => history.pushState(null, '', '/chats/nobody-here'));
    await page.evaluate(() => dispatchEvent(new PopStateEvent('popstate')));
    await alert().filter({ hasText: 'Nobody is called nobody-here@' }).waitFor({ timeout: 20_000 });
    expect(await page.getByText('Opening the conversation…').count()).toBe(0);
    await page.getByRole('link', { name: 'Back to conversations' }).last().click();
    await page.waitForURL('**/chats');
    // Counted once the list is on screen (the conversation written to earlier is in it).
    await conversationRow(page, 'z'.repeat(32)).waitFor();
    expect(await conversationRow(page, 'nobody-here').count()).toBe(0);
  }, 60_000);

  it('asks for the passphrase on a link while locked, explains an empty one, and returns to the link', async () => {
    await page.getByRole('button', { name: 'Lock' }).click();
    await page.waitForURL('**/unlock');
    await page.goto(`${url()}/chats/bob`);
    await page.waitForURL(/\/unlock\?next=(%2F|\/)chats(%2F|\/)bob$/);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await alert().filter({ hasText: 'Type the passphrase' }).waitFor();
    await unlockHere();
    await page.waitForURL('**/chats/bob', { timeout: 20_000 });
    await page.getByRole('heading', { name: '@bob' }).waitFor();
  }, 60_000);

  it('returns to the open thread after Lock and the passphrase', async () => {
    // Lock sits beside an open thread on a wide screen (a phone shows one pane at a time).
    await page.setViewportSize(DESKTOP);
    await page.getByRole('heading', { name: '@bob' }).waitFor();
    await page.getByRole('button', { name: 'Lock' }).click();
    await page.waitForURL(/\/unlock\?next=(%2F|\/)chats(%2F|\/)bob$/);
    await unlockHere();
    await page.waitForURL('**/chats/bob', { timeout: 20_000 });
    await page.getByRole('heading', { name: '@bob' }).waitFor();
    await page.setViewportSize(PHONE);
  }, 60_000);

  it('keeps a paste longer than a message holds, says by how much, and sends it once shortened', async () => {
    // The composer's limit (MAX_MESSAGE_LENGTH in core/chat/outbox.ts).
    const limit = 10_000;
    const field = page.getByLabel('Message @bob');
    await field.fill('y'.repeat(limit + 50));
    await page.getByRole('status').filter({ hasText: '50 characters too long: a message holds at most 10,000.' }).waitFor();
    await field.press('Enter');
    expect((await field.inputValue()).length).toBe(limit + 50);
    expect(await page.getByRole('button', { name: 'Send' }).isDisabled()).toBe(true);
    await holdsOnPhones();
    await screenshot(page, 'phone-message-too-long');

    await field.fill('y'.repeat(limit));
    await page.getByRole('status').filter({ hasText: '0 characters left.' }).waitFor();
    await field.press('Enter');
    await bubble(page, 'y'.repeat(limit)).getByRole('img', { name: 'Sent' }).waitFor({ timeout: 20_000 });
    expect(await field.inputValue()).toBe('');
  }, 60_000);

  it('keeps the time clear of a message whose text turns right-to-left (an unclosed U+202E)', async () => {
    const body = '\u202Edesrever txet 12:00';
    await send(page, 'bob', body);
    const sent = bubble(page, 'desrever');
    await sent.getByRole('img', { name: 'Sent' }).waitFor({ timeout: 20_000 });
    // Every box of the text's glyphs against the box of the time shown in the bubble.
    const overlaps = await sent.evaluate((host) => {
      const text = host.querySelector('.bubble__text')!;
      const time = host.querySelector('.bubble__meta:not(.bubble__meta--spacer)')!.getBoundingClientRect();
      const range = document.createRange();
      range.selectNodeContents(text.firstChild!);
      return Array.from(range.getClientRects()).filter(
        (box) => box.width > 0 && box.left < time.right && box.right > time.left && box.top < time.bottom && box.bottom > time.top,
      ).length;
    });
    expect(overlaps).toBe(0);
  }, 60_000);

  it('keeps a message that cannot be sent, its reason and Retry in view, and marks its conversation in the list', async () => {
    for (let i = 1; i <= 14; i++) {
      await send(page, 'bob', `Filler message ${i} to make the thread scroll`);
    }
    await bubble(page, 'Filler message 14')
      .getByRole('img', { name: /^(Sent|Delivered)$/ })
      .waitFor({ timeout: 20_000 });
    // Every message written so far has left (the queue sends them in order), so the
    // next post of a message to bob is the new one's.
    await page.waitForFunction(() => document.querySelectorAll('.bubble[data-status="queued"], .bubble[data-status="sending"]').length === 0);
    // The server answers that one post as it does for a handle that no longer exists.
    // (No handle can be deleted through the API, so the answer is made here.) Told
    // apart by what the request carries: copies to self of the earlier messages, still
    // going out, are posted to our own handle, and receipts ask for no push.
    let refused = false;
    await page.route('**/v1/messages', async (route) => {
      const request = route.request();
      const post = request.method() === 'POST' ? (request.postDataJSON() as { to?: string; push?: boolean }) : null;
      if (!refused && post?.to === 'bob' && post.push !== false) {
        refused = true;
        await route.fulfill({ status: 404, contentType: 'application/json', body: '{"error":{"code":"not_found","message":"No such handle."}}' });
      } else {
        await route.continue();
      }
    });
    await send(page, 'bob', 'This one cannot be delivered');
    const failed = bubble(page, 'This one cannot be delivered');
    await failed.getByRole('img', { name: 'Not sent' }).waitFor({ timeout: 20_000 });
    const reason = page.getByRole('alert').filter({ hasText: 'no longer exists' });
    await reason.waitFor();
    const retry = page.getByRole('button', { name: 'Retry' });
    await page.waitForFunction(() => {
      const log = document.querySelector('[role="log"]');
      return log !== null && log.scrollHeight - log.scrollTop - log.clientHeight < 2;
    });
    expect(await inViewport(page, reason)).toBe(true);
    expect(await inViewport(page, retry)).toBe(true);
    await page.unroute('**/v1/messages');

    await page.getByRole('link', { name: 'Back to conversations' }).first().click();
    await page.waitForURL('**/chats');
    await conversationRow(page, 'bob').filter({ hasText: 'Not sent' }).waitFor();
    await conversationRow(page, 'bob').click();
    await page.getByRole('button', { name: 'Retry' }).click();
    await failed.getByRole('img', { name: /^(Sent|Delivered)$/ }).waitFor({ timeout: 20_000 });
    await page.getByRole('link', { name: 'Back to conversations' }).first().click();
    // The row is on screen before its mark is counted (the list comes back on a phone).
    await conversationRow(page, 'bob').waitFor();
    expect(await conversationRow(page, 'bob').filter({ hasText: 'Not sent' }).count()).toBe(0);
    await conversationRow(page, 'bob').click();
  }, 90_000);

  it('shows the connection state inside an open thread on a phone, with Reconnect now', async () => {
    await page.getByRole('heading', { name: '@bob' }).waitFor();
    const threadStatus = page.locator('kez-thread kez-link-indicator');
    expect(await threadStatus.isVisible()).toBe(false);
    await server.stop();
    await threadStatus.getByText('Reconnecting…').waitFor({ timeout: 20_000 });
    expect(await inViewport(page, threadStatus)).toBe(true);
    // Pressed while the server is still away: it tries at once, and keeps saying so.
    await threadStatus.getByRole('button', { name: 'Reconnect now' }).click();
    await threadStatus.getByText('Reconnecting…').waitFor();
    await startServer();
    await threadStatus.waitFor({ state: 'hidden', timeout: 20_000 });

    // The phone loses its network and gets it back: the thread says so, then is live again.
    await context.setOffline(true);
    await threadStatus.getByText('Reconnecting…').waitFor({ timeout: 20_000 });
    await context.setOffline(false);
    await threadStatus.waitFor({ state: 'hidden', timeout: 20_000 });
  }, 90_000);

  it('opens a chat link that found no server by itself once the server is back', async () => {
    await registerUser(url(), 'carol', SERVER);
    await server.stop();
    // Start a chat says the server can't be reached, and stops saying so once it can.
    await page.setViewportSize(DESKTOP);
    await page.getByLabel('Start a chat').fill('carol');
    await page.getByRole('button', { name: 'Chat', exact: true }).click();
    await page.locator('#new-chat-error').filter({ hasText: 'Your home server can’t be reached' }).waitFor({ timeout: 20_000 });
    await startServer();
    await page.locator('#new-chat-error').waitFor({ state: 'detached', timeout: 30_000 });
    await page.setViewportSize(PHONE);
    await server.stop();
    await page.evaluate(() => history.pushState(null, '', '/chats/carol'));
    await page.evaluate(() => dispatchEvent(new PopStateEvent('popstate')));
    await alert().filter({ hasText: 'It opens by itself once the server answers.' }).waitFor({ timeout: 20_000 });
    await startServer();
    await page.getByRole('heading', { name: '@carol' }).waitFor({ timeout: 30_000 });
    await page.getByLabel('Message @carol').waitFor();
  }, 90_000);

  it('counts the handle step after a restore of an identity that never registered', async () => {
    const fresh = await browser.newContext({ viewport: PHONE, locale: 'en-GB' });
    try {
      const restorer = await fresh.newPage();
      const words = generateMnemonic(wordlist, 256).split(' ');
      // A refused phrase sends the focus from Continue back to the phrase, described by the reason.
      await enterPhrase(restorer, url(), withWrongLastWord(words));
      expect(await waitForFocus(restorer, 'phrase')).toEqual({ id: 'phrase', described: expect.stringContaining('not a valid recovery phrase') as string });
      await restorer.getByLabel('Recovery phrase').fill(words.join(' '));
      await restorer.getByRole('button', { name: 'Continue' }).click();
      await restorer.getByText('Step 2 of 2').waitFor();
      await choosePassphrase(restorer, PASSPHRASE, 'Restore my identity');
      await restorer.waitForURL('**/register', { timeout: 20_000 });
      await restorer.getByText('One more step').waitFor();
      expect(await restorer.getByText(/Step \d of \d/).count()).toBe(0);
    } finally {
      await fresh.close();
    }
  }, 60_000);

  it('still opens screens after the server went away, and says what it cannot do without it', async () => {
    // A first visit, before the app is installed: with the service worker blocked, nothing is precached,
    // so whether the estimator loads never depends on how far the worker's prefetch got before the stop.
    const fresh = await browser.newContext({ viewport: PHONE, locale: 'en-GB', serviceWorkers: 'block' });
    try {
      const visitor = await fresh.newPage();
      await visitor.goto(url());
      await visitor.getByRole('link', { name: 'Create my identity' }).waitFor();
      // Every screen is fetched after the first one paints: wait for those fetches.
      await waitForScreensFetched(visitor);
      await server.stop();
      await visitor.getByRole('link', { name: 'Create my identity' }).click();
      await visitor.getByText('Step 1 of 4').waitFor({ timeout: 20_000 });
      const words = await visitor.locator('.phrase__w').allTextContents();
      await visitor.getByRole('button', { name: 'I’ve written them down' }).click();
      const labels = visitor.locator('label', { hasText: /^Word #\d+$/ });
      await labels.first().waitFor();
      for (const label of await labels.allTextContents()) {
        await visitor.getByLabel(label, { exact: true }).fill(words[Number(label.replace('Word #', '')) - 1]);
      }
      await visitor.getByRole('button', { name: 'Continue' }).click();
      // The strength estimator comes from the server: without it, the form says so instead of doing nothing.
      await choosePassphrase(visitor, PASSPHRASE, 'Protect my identity');
      await visitor.getByRole('alert').filter({ hasText: 'could not be loaded' }).waitFor({ timeout: 20_000 });
      expect(visitor.url()).toContain('/create');
      await startServer();
      await visitor.getByRole('button', { name: 'Protect my identity' }).click();
      await visitor.waitForURL('**/register', { timeout: 20_000 });
    } finally {
      await fresh.close();
    }
  }, 90_000);
});

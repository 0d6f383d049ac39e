import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Browser, BrowserContext, Page } from 'playwright-core';

import { freePort } from '../server/test/support/free-port';
import { type ServerProcess, startServerProcess } from '../server/test/support/server-process';
import { launchChromium, screenshot } from './support/browser';
import {
  bodies,
  bubble,
  choosePassphrase,
  conversationRow,
  createAccount,
  myKez,
  send,
  startChat,
  storedPrimary,
  startChatError,
  unlock,
  waitForClipboard,
  waitForLink,
} from './support/kez-app';

// Two people in two isolated browser contexts, against the real built server (which
// serves the built client): identities, registration, a conversation both ways, a
// reload, a message while one page is closed, a server restart on the same port and
// database, and a restore from the recovery phrase. The steps build on each other.

const SERVER = 'chat.test';
const ALICE_PASSPHRASE = 'alice likes otters 7';
const BOB_PASSPHRASE = 'bob prefers beavers 9';
/**
 * Generous: the machine may be loaded; this is no speed figure (delivery times are
 * bench/delivery's, see docs/performance.md).
 */
const WAIT_MS = 20_000;

describe('KEZ chat in the browser', () => {
  let port: number;
  let database: string;
  let server: ServerProcess;
  let browser: Browser;
  let aliceContext: BrowserContext;
  let bobContext: BrowserContext;
  let alice: Page;
  let bob: Page;
  let alicePhrase: string[] = [];
  /** Everything the pages logged and sent, to check that no secret ever shows up there. */
  const consoleLines: string[] = [];
  const outgoing: string[] = [];

  const url = () => `http://127.0.0.1:${port}`;

  function watch(page: Page): Page {
    page.on('console', (message) => consoleLines.push(message.text()));
    page.on('request', (request) => outgoing.push(`${request.url()}\n${request.postData() ?? ''}`));
    return page;
  }

  async function newPerson(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: url() });
    return { context, page: watch(await context.newPage()) };
  }

  beforeAll(async () => {
    port = await freePort();
    database = join(mkdtempSync(join(tmpdir(), 'kez-e2e-')), 'kez.db');
    server = await startServerProcess({ port, env: { KEZ_CHAT_SERVER: SERVER, KEZ_CHAT_DB: database } });
    browser = await launchChromium();
    ({ context: aliceContext, page: alice } = await newPerson());
    ({ context: bobContext, page: bob } = await newPerson());
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  }, 30_000);

  it('creates two identities and registers alice and bob', async () => {
    alicePhrase = await createAccount(alice, url(), 'alice', ALICE_PASSPHRASE, () => screenshot(alice, 'recovery-phrase'));
    await bob.goto(url());
    await bob.getByRole('heading', { name: 'Private conversations, on a server you trust' }).waitFor();
    await screenshot(bob, 'welcome');
    await createAccount(bob, url(), 'bob', BOB_PASSPHRASE);

    // Your KEZ, always in the sidebar, copied with one click.
    expect(await myKez(alice)).toBe(`alice@${SERVER}`);
    expect(await myKez(bob)).toBe(`bob@${SERVER}`);
    await alice.getByRole('button', { name: `Copy alice@${SERVER}` }).click();
    await waitForClipboard(alice, `alice@${SERVER}`);
    await waitForLink(alice, 'Live', WAIT_MS);
    await waitForLink(bob, 'Live', WAIT_MS);
    await screenshot(bob, 'chat-list-empty');
  }, 90_000);

  it('explains who cannot be reached', async () => {
    expect(await startChatError(alice, 'carol')).toBe(`Nobody is called carol@${SERVER}. Check the spelling.`);
    // Another server's KEZ is not reachable yet; as a NIP-05 name it is looked up, and that fails here (no internet).
    expect(await startChatError(alice, 'bob@elsewhere.example')).toMatch(
      /^bob@elsewhere\.example is on another server, and no nostr user by that name was found there/,
    );
    expect(await startChatError(alice, 'alice')).toMatch(/^That’s you!/);
    expect(await startChatError(alice, 'bob smith')).toMatch(/isn’t a handle/);
    expect(await startChatError(alice, 'bob@')).toBe(`“bob@” has no server after “@”. Type “bob” or “bob@${SERVER}”.`);
    // The examples never name the person themself.
    expect(await alice.getByLabel('Start a chat').getAttribute('placeholder')).toBe(`bob or bob@${SERVER}`);
    expect(await bob.getByLabel('Start a chat').getAttribute('placeholder')).toBe(`alice or alice@${SERVER}`);
    await bob.getByText(`such as alice or alice@${SERVER}`).waitFor();
  }, 30_000);

  it('carries messages both ways, each seen live by the other', async () => {
    await startChat(alice, `bob@${SERVER}`);
    await alice.getByRole('heading', { name: '@bob' }).waitFor();

    await send(alice, 'bob', 'Hi Bob! Is this thing on? 👋');
    await bubble(alice, 'Hi Bob!')
      .getByRole('img', { name: /^(Sent|Delivered)$/ })
      .waitFor();
    // Bob is on his list: the conversation appears with the preview and an unread badge.
    const row = conversationRow(bob, 'alice');
    await row.filter({ hasText: 'Hi Bob!' }).waitFor({ timeout: WAIT_MS });
    expect(await row.locator('.badge').textContent()).toBe('1 unread');

    await row.click();
    await bob.getByRole('heading', { name: '@alice' }).waitFor();
    await bubble(bob, 'Hi Bob!').waitFor();
    await bob.locator('.badge').waitFor({ state: 'detached' });

    await send(bob, 'alice', 'Loud and clear.\nEnd-to-end, even.');
    await bubble(alice, 'Loud and clear.').waitFor({ timeout: WAIT_MS });
    await send(alice, 'bob', 'Great, the server sees only sealed envelopes.');
    await bubble(bob, 'the server sees only sealed envelopes').waitFor({ timeout: WAIT_MS });

    expect(await bodies(alice)).toEqual([
      'Hi Bob! Is this thing on? 👋',
      'Loud and clear.\nEnd-to-end, even.',
      'Great, the server sees only sealed envelopes.',
    ]);
    expect(await bodies(bob)).toEqual(await bodies(alice));
    // One person, one thread: alice reached bob by KEZ and heard back from his key.
    expect(await alice.getByRole('navigation', { name: 'Conversations' }).getByRole('link').count()).toBe(1);
    await screenshot(alice, 'thread');
  }, 60_000);

  it('shows the whole history after a reload and the passphrase', async () => {
    await bob.reload();
    await unlock(bob, BOB_PASSPHRASE);
    await screenshot(bob, 'chat-list');
    await conversationRow(bob, 'alice').click();
    await bubble(bob, 'sealed envelopes').waitFor();
    expect(await bodies(bob)).toEqual(['Hi Bob! Is this thing on? 👋', 'Loud and clear.\nEnd-to-end, even.', 'Great, the server sees only sealed envelopes.']);

    // Locking drops the keys: the passphrase is needed again, and the history is still there.
    await bob.getByRole('button', { name: 'Lock' }).click();
    await unlock(bob, BOB_PASSPHRASE);
    await conversationRow(bob, 'alice').click();
    await bubble(bob, 'sealed envelopes').waitFor();
  }, 60_000);

  it('delivers a message sent while the page was closed when its owner returns', async () => {
    await bob.close();
    await send(alice, 'bob', 'Ping while you were away');
    await bubble(alice, 'Ping while you were away')
      .getByRole('img', { name: /^(Sent|Delivered)$/ })
      .waitFor();

    bob = watch(await bobContext.newPage());
    await bob.goto(url());
    await unlock(bob, BOB_PASSPHRASE);
    const row = conversationRow(bob, 'alice');
    await row.filter({ hasText: 'Ping while you were away' }).waitFor({ timeout: WAIT_MS });
    await row.click();
    await bubble(bob, 'Ping while you were away').waitFor();
  }, 60_000);

  it('says "reconnecting" while the server is down, is live again after a restart, and loses nothing', async () => {
    await server.stop();
    await waitForLink(alice, 'Reconnecting…', WAIT_MS);
    await waitForLink(bob, 'Reconnecting…', WAIT_MS);

    // A message written during the outage waits, visibly, and goes out by itself afterwards.
    await send(alice, 'bob', 'Written during the outage');
    const queued = bubble(alice, 'Written during the outage');
    await queued.getByRole('img', { name: 'Waiting to send' }).waitFor({ timeout: 20_000 });

    server = await startServerProcess({ port, env: { KEZ_CHAT_SERVER: SERVER, KEZ_CHAT_DB: database } });
    await waitForLink(alice, 'Live', 30_000);
    await waitForLink(bob, 'Live', 30_000);

    await queued.getByRole('img', { name: /^(Sent|Delivered)$/ }).waitFor();
    await bubble(bob, 'Written during the outage').waitFor({ timeout: WAIT_MS });
    await send(bob, 'alice', 'Back online here too');
    await bubble(alice, 'Back online here too').waitFor({ timeout: WAIT_MS });

    const history = [
      'Hi Bob! Is this thing on? 👋',
      'Loud and clear.\nEnd-to-end, even.',
      'Great, the server sees only sealed envelopes.',
      'Ping while you were away',
      'Written during the outage',
      'Back online here too',
    ];
    expect(await bodies(alice)).toEqual(history);
    expect(await bodies(bob)).toEqual(history);
  }, 120_000);

  it('fits a 360 px wide phone, one pane at a time', async () => {
    await bob.setViewportSize({ width: 360, height: 740 });
    const overflow = () => bob.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(await bob.getByRole('complementary', { name: 'Your chats' }).isVisible()).toBe(false);
    expect(await bob.getByRole('link', { name: 'Back to conversations' }).isVisible()).toBe(true);
    expect(await overflow()).toBe(0);
    await screenshot(bob, 'phone-thread');

    await bob.getByRole('link', { name: 'Back to conversations' }).click();
    await bob.waitForURL('**/chats');
    await conversationRow(bob, 'alice').waitFor();
    expect(await bob.getByRole('main').isVisible()).toBe(false);
    expect(await overflow()).toBe(0);
    await screenshot(bob, 'phone-list');
  }, 30_000);

  it('restores alice from her phrase in a fresh browser, with the same identity', async () => {
    const { primary } = (await (await fetch(`${url()}/v1/u/alice`)).json()) as { primary: string };
    const fresh = await newPerson();
    try {
      const page = fresh.page;
      await page.goto(url());
      await page.getByRole('link', { name: 'I have a recovery phrase' }).click();
      await page.getByLabel('Recovery phrase').fill(alicePhrase.join(' '));
      await page.getByRole('button', { name: 'Continue' }).click();
      await choosePassphrase(page, 'a new browser, a new passphrase', 'Restore my identity');
      // The server found the handle by the restored key: same primary, same account.
      await page.waitForURL('**/chats', { timeout: 20_000 });
      expect(await myKez(page)).toBe(`alice@${SERVER}`);
      expect(await storedPrimary(page)).toBe(primary);
      expect(await storedPrimary(alice)).toBe(primary);
      // Her inbox is read again with the restored keys: bob's messages open.
      await conversationRow(page, 'bob').click();
      await bubble(page, 'Back online here too').waitFor({ timeout: WAIT_MS });
      await bubble(page, 'Loud and clear.').waitFor();
    } finally {
      await fresh.context.close();
    }
  }, 60_000);

  it('never lets a secret reach the console, the network or localStorage', async () => {
    const phrase = alicePhrase.join(' ');
    for (const secret of [phrase, ALICE_PASSPHRASE, BOB_PASSPHRASE]) {
      expect(consoleLines.filter((line) => line.includes(secret))).toEqual([]);
      expect(outgoing.filter((request) => request.includes(secret))).toEqual([]);
    }
    for (const page of [alice, bob]) {
      expect(await page.evaluate(() => localStorage.length + sessionStorage.length)).toBe(0);
    }
    await aliceContext.close();
    await bobContext.close();
  }, 30_000);
});

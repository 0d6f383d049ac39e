import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Browser, BrowserContext, Page } from 'playwright-core';

import { freePort } from '../server/test/support/free-port';
import { registerUser } from '../server/test/support/inbox-client';
import { type ServerProcess, startServerProcess } from '../server/test/support/server-process';
import { launchChromium, screenshot } from './support/browser';
import { bodies, bubble, choosePassphrase, conversationRow, createAccount, myKez, send, startChat, unlock } from './support/kez-app';
import { enterPhrase, openRestore, withWrongLastWord } from './support/restore';
import { rawHistoryText, storedMessageCount, writeRaw } from './support/stored-history';

// What happens to messages across outages, locks and restores, as a person sees it
// in Chromium against the real built server: sends queued while the server is down go
// out by themselves (also after the page was closed), history is unreadable on disk,
// and a restore brings back both sides of each conversation, while what the restored
// browser sends shows up in the original one.

const SERVER = 'chat.test';
const ALICE_PASSPHRASE = 'alice keeps otters 7';
const BOB_PASSPHRASE = 'bob builds dams 9';
const PHONE = { width: 360, height: 740 };

describe('Message history in the browser: queued sends, history at rest, both sides after a restore', () => {
  let port: number;
  let database: string;
  let server: ServerProcess;
  let browser: Browser;
  let aliceContext: BrowserContext;
  let bobContext: BrowserContext;
  let alice: Page;
  let bob: Page;
  let alicePhrase: string[] = [];
  let bobPrimary = '';

  const url = () => `http://127.0.0.1:${port}`;
  const startServer = async () => {
    server = await startServerProcess({ port, env: { KEZ_CHAT_SERVER: SERVER, KEZ_CHAT_DB: database } });
  };

  async function newPerson(viewport = { width: 1280, height: 800 }): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport, locale: 'en-GB' });
    return { context, page: await context.newPage() };
  }

  beforeAll(async () => {
    port = await freePort();
    database = join(mkdtempSync(join(tmpdir(), 'kez-e2e-history-')), 'kez.db');
    await startServer();
    browser = await launchChromium();
    ({ context: aliceContext, page: alice } = await newPerson());
    ({ context: bobContext, page: bob } = await newPerson());
  }, 60_000);

  afterAll(async () => {
    await aliceContext?.close();
    await bobContext?.close();
    await browser?.close();
    await server?.stop();
  }, 30_000);

  it('sets up alice and bob in a conversation', async () => {
    alicePhrase = await createAccount(alice, url(), 'alice', ALICE_PASSPHRASE);
    await createAccount(bob, url(), 'bob', BOB_PASSPHRASE);
    bobPrimary = ((await (await fetch(`${url()}/v1/u/bob`)).json()) as { primary: string }).primary;
    await startChat(alice, 'bob');
    await send(alice, 'bob', 'First from alice');
    await bubble(alice, 'First from alice')
      .getByRole('img', { name: /^(Sent|Delivered)$/ })
      .waitFor();
    await conversationRow(bob, 'alice').click();
    await bubble(bob, 'First from alice').waitFor({ timeout: 20_000 });
    await send(bob, 'alice', 'First from bob');
    await bubble(alice, 'First from bob').waitFor({ timeout: 20_000 });
  }, 120_000);

  it('queues a send while the server is down, says what it waits for, and sends it by itself when the server is back', async () => {
    await alice.setViewportSize(PHONE);
    await server.stop();
    await send(alice, 'bob', 'Written during the outage');
    const queued = bubble(alice, 'Written during the outage');
    await queued.getByRole('img', { name: 'Waiting to send' }).waitFor({ timeout: 20_000 });
    const waiting = alice.locator('kez-message-bubble .waiting', { hasText: 'Waiting for connection' });
    await waiting.waitFor();
    // The reason and its action are on screen, not below the fold.
    expect(await waiting.isVisible()).toBe(true);
    expect(await alice.getByRole('button', { name: 'Try now' }).isVisible()).toBe(true);
    await screenshot(alice, 'phone-queued-send');
    expect(await alice.getByText('Not sent').count()).toBe(0);

    await startServer();
    // Nobody presses anything: it goes out once, and bob gets it once.
    await queued.getByRole('img', { name: /^(Sent|Delivered)$/ }).waitFor({ timeout: 30_000 });
    await bubble(bob, 'Written during the outage').waitFor({ timeout: 30_000 });
    expect((await bodies(bob)).filter((body) => body === 'Written during the outage')).toHaveLength(1);
    await alice.setViewportSize({ width: 1280, height: 800 });
  }, 120_000);

  it('keeps a queued send across closing the page and sends it when the app is open again', async () => {
    await server.stop();
    await send(alice, 'bob', 'Queued, then the tab closed');
    await bubble(alice, 'Queued, then the tab closed').getByRole('img', { name: 'Waiting to send' }).waitFor({ timeout: 20_000 });
    await alice.close();
    await startServer();

    alice = await aliceContext.newPage();
    await alice.goto(url());
    await unlock(alice, ALICE_PASSPHRASE);
    await conversationRow(alice, 'bob').click();
    await bubble(alice, 'Queued, then the tab closed')
      .getByRole('img', { name: /^(Sent|Delivered)$/ })
      .waitFor({ timeout: 30_000 });
    await bubble(bob, 'Queued, then the tab closed').waitFor({ timeout: 30_000 });
    expect((await bodies(bob)).filter((body) => body === 'Queued, then the tab closed')).toHaveLength(1);
  }, 120_000);

  it('keeps no message text, preview, handle or peer key readable in IndexedDB', async () => {
    expect(await storedMessageCount(alice)).toBeGreaterThanOrEqual(4);
    const onDisk = await rawHistoryText(alice);
    for (const secret of ['First from alice', 'First from bob', 'Written during the outage', 'Queued, then the tab closed', '"bob"', bobPrimary.slice(8)]) {
      expect(onDisk).not.toContain(secret);
    }
    await alice.getByRole('button', { name: 'Lock' }).click();
    await alice.waitForURL(/\/unlock(\?|$)/);
    expect(await rawHistoryText(alice)).not.toContain('First from bob');
    await unlock(alice, ALICE_PASSPHRASE);
    await conversationRow(alice, 'bob').click();
    await bubble(alice, 'First from bob').waitFor();
  }, 60_000);

  it('seals history an earlier version kept in clear, and still shows it', async () => {
    const erin = await registerUser(url(), 'erin', SERVER);
    const now = Math.floor(Date.now() / 1000);
    const legacy = 'Kept in clear by an older version';
    await alice.getByRole('button', { name: 'Lock' }).click();
    await alice.waitForURL(/\/unlock(\?|$)/);
    // What the app stored before history was sealed: plain records under readable keys.
    await writeRaw(alice, [
      {
        bucket: 'conversations',
        key: erin.identity.primary,
        value: { peer: erin.identity.primary, handle: 'erin', server: SERVER, lastOrder: 1, preview: legacy, previewDirection: 'in', lastAt: now, unread: 0 },
      },
      {
        bucket: 'messages',
        key: `${erin.identity.primary}\u0000${'1'.padStart(16, '0')}\u0000legacy-1`,
        value: { id: 'legacy-1', peer: erin.identity.primary, direction: 'in', body: legacy, sentAt: now, order: 1, status: 'received' },
      },
    ]);
    expect(await rawHistoryText(alice)).toContain(legacy);
    await unlock(alice, ALICE_PASSPHRASE);
    await conversationRow(alice, 'erin').click();
    await bubble(alice, legacy).waitFor();
    const onDisk = await rawHistoryText(alice);
    expect(onDisk).not.toContain(legacy);
    expect(onDisk).not.toContain(erin.identity.primary.slice(8));
    await conversationRow(alice, 'bob').click();
  }, 60_000);

  it('checks the phrase, checksum included, before asking for a passphrase, and says what a restore brings back', async () => {
    const fresh = await newPerson(PHONE);
    try {
      await openRestore(fresh.page, url());
      await screenshot(fresh.page, 'phone-restore-warning');
      await enterPhrase(fresh.page, url(), withWrongLastWord(alicePhrase));
      await fresh.page.getByRole('alert').filter({ hasText: 'not a valid recovery phrase' }).waitFor();
      expect(await fresh.page.getByLabel('Passphrase', { exact: true }).count()).toBe(0);
      const warning = fresh.page.getByRole('region', { name: 'What comes back' });
      expect(await warning.isVisible()).toBe(true);
      expect(await warning.textContent()).toContain('What does not');
      expect(await fresh.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
    } finally {
      await fresh.context.close();
    }
  }, 60_000);

  it('brings back both sides after a restore, and what the restored browser sends shows in the original one', async () => {
    const restored = await newPerson();
    try {
      const page = restored.page;
      await enterPhrase(page, url(), alicePhrase);
      await choosePassphrase(page, 'a fresh browser passphrase', 'Restore my identity');
      await page.waitForURL('**/chats', { timeout: 20_000 });
      expect(await myKez(page)).toBe(`alice@${SERVER}`);
      await conversationRow(page, 'bob').click();
      await bubble(page, 'Queued, then the tab closed').waitFor({ timeout: 30_000 });
      expect(await bodies(page)).toEqual(['First from alice', 'First from bob', 'Written during the outage', 'Queued, then the tab closed']);
      // Her own messages are hers: on the right, marked sent.
      await bubble(page, 'First from alice')
        .getByRole('img', { name: /^(Sent|Delivered)$/ })
        .waitFor();
      expect(await bubble(page, 'First from bob').getAttribute('class')).not.toContain('out');

      await send(page, 'bob', 'Sent from the restored browser');
      await bubble(page, 'Sent from the restored browser')
        .getByRole('img', { name: /^(Sent|Delivered)$/ })
        .waitFor({ timeout: 30_000 });
      await bubble(bob, 'Sent from the restored browser').waitFor({ timeout: 30_000 });
      const mirrored = bubble(alice, 'Sent from the restored browser');
      await mirrored.waitFor({ timeout: 30_000 });
      expect(await mirrored.getAttribute('class')).toContain('out');
      expect((await bodies(alice)).filter((body) => body === 'Sent from the restored browser')).toHaveLength(1);
    } finally {
      await restored.context.close();
    }
  }, 120_000);

  it('waits out a rate limit by itself and sends once, without ever calling the message failed', async () => {
    // A server of its own whose message limit a few sends use up: 4 a minute, one token back every 15 s.
    const limited = await startServerProcess({ env: { KEZ_CHAT_SERVER: SERVER, KEZ_CHAT_RATE_MESSAGES: '4/min' } });
    const sender = await newPerson(PHONE);
    const receiver = await newPerson();
    try {
      await createAccount(sender.page, limited.url, 'carol', 'carol counts her tokens 3');
      await createAccount(receiver.page, limited.url, 'dave', 'dave waits patiently 5');
      // The home server alone: over a relay the messages would not wait for the limit at all.
      await sender.page.getByRole('link', { name: 'Settings' }).click();
      await sender.page.getByText('The relays your home server proposes.').waitFor();
      await sender.page.getByLabel('Relays, one per line').fill('');
      await sender.page.getByRole('button', { name: 'Save relays' }).click();
      await sender.page.getByText(/Your own list is empty/).waitFor();
      await sender.page.getByRole('link', { name: /Back to chats/ }).click();
      await startChat(sender.page, 'dave');
      // Remembers whether any bubble ever turned "failed" while this test watched.
      await sender.page.evaluate(() => {
        const seen = window as unknown as { sawFailed: boolean };
        seen.sawFailed = false;
        new MutationObserver(() => {
          seen.sawFailed ||= document.querySelector('[data-status="failed"]') !== null;
        }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'] });
      });
      // Each message is two posts (to dave, and the copy to self): the third message meets the limit.
      for (const text of ['one', 'two', 'three, over the limit']) {
        await send(sender.page, 'dave', text);
      }
      const third = bubble(sender.page, 'three, over the limit');
      await third.getByRole('img', { name: 'Waiting to send' }).waitFor({ timeout: 20_000 });
      await sender.page.locator('kez-message-bubble .waiting', { hasText: 'slow down' }).waitFor();
      expect(await sender.page.getByText('Try again in').count()).toBe(0);
      await third.getByRole('img', { name: /^(Sent|Delivered)$/ }).waitFor({ timeout: 60_000 });
      await conversationRow(receiver.page, 'carol').click();
      await bubble(receiver.page, 'three, over the limit').waitFor({ timeout: 20_000 });
      expect(await bodies(receiver.page)).toEqual(['one', 'two', 'three, over the limit']);
      expect(await sender.page.evaluate(() => (window as unknown as { sawFailed: boolean }).sawFailed)).toBe(false);
    } finally {
      await sender.context.close();
      await receiver.context.close();
      await limited.stop();
    }
  }, 120_000);
});

import type { BrowserContext, Page } from 'playwright-core';

import { authString, deriveIdentity, type Identity, phraseToSeed, signAuth } from '@kez/crypto';

import { freePort } from '../server/test/support/free-port';
import { PushReceiver } from '../server/test/support/push-receiver';
import { type ServerProcess, startServerProcess } from '../server/test/support/server-process';
import { waitFor } from '../server/test/support/wait-for';
import { screenshot } from './support/browser';
import { focusedField, waitForFocus, waitForFocused } from './support/focus';
import { refuseDatabaseDeletes, refuseWrites } from './support/indexed-db';
import { createAccount, settingSwitch, startChatError, storedPrimary } from './support/kez-app';
import { installPushStandIn, type PushStandIn, standInEndpoint } from './support/push-stand-in';
import { launchProfile, waitForPrecache } from './support/service-worker';

// The settings screen in a real browser against the real server: keys and fingerprint,
// the notifications switch (subscribed and unsubscribed on the server), the recovery
// phrase behind the passphrase, lock, and "forget this device".

const PASSPHRASE = 'gina grows figs 6';
const WAIT_MS = 20_000;

describe('settings', () => {
  let port: number;
  let server: ServerProcess;
  let receiver: PushReceiver;
  let context: BrowserContext;
  let page: Page;
  let words: string[];
  let identity: Identity;
  let standIn: PushStandIn;

  const url = () => `http://127.0.0.1:${port}`;

  /** Waits until the button named `name` has the focus (given back after it was disabled), and returns what describes it. */
  async function focusBackOn(name: string): Promise<string> {
    await page.waitForFunction(
      (wanted) => document.activeElement?.tagName === 'BUTTON' && (document.activeElement as HTMLElement).innerText.trim() === wanted,
      name,
      {
        timeout: WAIT_MS,
      },
    );
    return (await focusedField(page)).described;
  }

  async function serverHas(endpoint: string): Promise<boolean> {
    const auth = signAuth((ts) => authString.pushCheck('gina', endpoint, ts), identity.edSecret);
    const response = await fetch(`${url()}/v1/push/subscriptions/gina?endpoint=${encodeURIComponent(endpoint)}`, { headers: { 'X-KEZ-Auth': auth } });
    return ((await response.json()) as { subscribed: boolean }).subscribed;
  }

  beforeAll(async () => {
    receiver = await PushReceiver.start();
    port = await freePort();
    server = await startServerProcess({ port, env: { KEZ_CHAT_PUSH_ALLOW_INSECURE: 'true' } });
    context = await launchProfile();
    await context.grantPermissions(['notifications', 'clipboard-read', 'clipboard-write'], { origin: url() });
    standIn = await installPushStandIn(context, receiver);
    page = context.pages()[0] ?? (await context.newPage());
    words = await createAccount(page, url(), 'gina', PASSPHRASE);
    identity = deriveIdentity(phraseToSeed(words.join(' ')));
    await waitForPrecache(page);
  }, 90_000);

  afterAll(async () => {
    await context?.close();
    await server?.stop();
    await receiver?.close();
  }, 30_000);

  it('shows your KEZ, your keys and a fingerprint to read aloud', async () => {
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.waitForURL('**/settings');
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    // Screen readers start at the new screen's heading, not wherever the link was.
    await waitForFocused(page, 'h1 Settings');
    expect(await page.getByRole('status', { name: 'Your KEZ' }).textContent()).toContain('gina@chat.test');
    expect(await page.getByLabel('Identity key').textContent()).toBe(await storedPrimary(page));
    expect(await page.getByLabel('Nostr key').textContent()).toMatch(/^npub1[02-9ac-hj-np-z]{58}$/);
    expect(await page.getByLabel('Fingerprint').textContent()).toMatch(/^\d{5}( \d{5}){7}$/);
    await screenshot(page, 'settings');
    await page.setViewportSize({ width: 360, height: 780 });
    await screenshot(page, 'settings-phone');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('outlines the screen with one h1 and one h2 per section, says nothing twice, and gives each text role one look, on a desktop and a phone', async () => {
    const outline = await page.evaluate(() => {
      const root = document.querySelector('kez-settings')!;
      const headings = Array.from(root.querySelectorAll('h1, h2, h3, h4, h5, h6, [role="heading"]')).map((h) => `${h.tagName} ${h.textContent?.trim()}`);
      // Per section: its h2s, what labels the section, and any other text in it that only repeats the heading.
      const sections = Array.from(root.querySelectorAll('section')).map((section) => {
        const title = section.querySelector('h2')?.textContent?.trim() ?? '';
        const repeats = Array.from(section.querySelectorAll('p, span, label, dt, legend, strong'))
          .filter((element) => element.textContent?.trim().toLowerCase() === title.toLowerCase())
          .map((element) => element.outerHTML.slice(0, 80));
        return {
          h2s: section.querySelectorAll('h2').length,
          labelledByTitle: document.getElementById(section.getAttribute('aria-labelledby') ?? '')?.tagName,
          repeats,
        };
      });
      return { headings, sections };
    });
    expect(outline.headings.filter((h) => h.startsWith('H1'))).toEqual(['H1 Settings']);
    expect(outline.headings.every((h) => h.startsWith('H1') || h.startsWith('H2') || h.startsWith('H3'))).toBe(true);
    expect(new Set(outline.headings).size).toBe(outline.headings.length);
    for (const section of outline.sections) {
      expect(section).toEqual({ h2s: 1, labelledByTitle: 'H2', repeats: [] });
    }
    // The address is still named for a screen reader: by its section's heading.
    expect(await page.getByRole('status', { name: 'Your KEZ' }).textContent()).toContain('gina@chat.test');

    for (const size of [
      { width: 1280, height: 800 },
      { width: 360, height: 740 },
    ]) {
      await page.setViewportSize(size);
      const looks = await page.evaluate(() => {
        const root = document.querySelector('kez-settings')!;
        const look = (element: Element) => {
          const style = getComputedStyle(element);
          return `${style.fontSize} ${style.fontWeight} ${style.color}`;
        };
        const distinct = (selector: string) => [...new Set(Array.from(root.querySelectorAll(selector)).map(look))];
        return {
          // Every paragraph in a section that is not an error, a notice or a question: explanations and states.
          texts: distinct('section p:not(.field__error):not(.notice):not(.alert):not([role="alertdialog"] p)'),
          titles: distinct('section > h2'),
          labels: distinct('section .field__label, section label:has(> input[type="checkbox"])'),
          errors: distinct('section .field__error'),
        };
      });
      expect({ size: size.width, texts: looks.texts.length, titles: looks.titles.length, labels: looks.labels.length }).toEqual({
        size: size.width,
        texts: 1,
        titles: 1,
        labels: 1,
      });
      expect(looks.errors.length).toBeLessThanOrEqual(1);
    }
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('turns notifications off and on on the server (on since the Register click)', async () => {
    const toggle = settingSwitch(page, 'Notifications on this device');
    await page.getByRole('status').filter({ hasText: /^On:/ }).waitFor({ timeout: WAIT_MS });
    expect(await toggle.isChecked()).toBe(true);
    const endpoint = (await standInEndpoint(page))!;
    expect(await serverHas(endpoint)).toBe(true);

    await toggle.uncheck();
    await page.getByRole('status').filter({ hasText: /^Off:/ }).waitFor({ timeout: WAIT_MS });
    expect(await serverHas(endpoint)).toBe(false);
    expect(await standInEndpoint(page)).toBeNull();

    await toggle.check();
    await page.getByRole('status').filter({ hasText: /^On:/ }).waitFor({ timeout: WAIT_MS });
    expect(await serverHas((await standInEndpoint(page))!)).toBe(true);
  });

  it('takes no click while a change is under way, says so, and ends on the state asked for', async () => {
    const toggle = settingSwitch(page, 'Notifications on this device');
    const anyState = page.getByRole('switch', { name: 'Notifications on this device' });
    await toggle.uncheck();
    await page.getByRole('status').filter({ hasText: /^Off:/ }).waitFor({ timeout: WAIT_MS });
    // The server's answer to the subscription is held until the test lets it through.
    let letThrough!: () => void;
    const held = new Promise<void>((resolve) => (letThrough = resolve));
    await page.route('**/v1/push/subscribe/**', async (route) => {
      await held;
      await route.continue();
    });
    try {
      await toggle.click();
      await page
        .getByRole('status')
        .filter({ hasText: /^\s*Saving…/ })
        .waitFor({ timeout: WAIT_MS });
      // Disabled, showing the state asked for, and described by why it waits.
      expect({ disabled: await anyState.isDisabled(), on: await anyState.isChecked() }).toEqual({ disabled: true, on: true });
      expect(await anyState.evaluate((box) => document.getElementById(box.getAttribute('aria-describedby')!.split(' ')[0])!.innerText.trim())).toBe('Saving…');
    } finally {
      letThrough();
    }
    await page.getByRole('status').filter({ hasText: /^On:/ }).waitFor({ timeout: WAIT_MS });
    expect(await toggle.isChecked()).toBe(true);
    await page.unroute('**/v1/push/subscribe/**');
  });

  it('leaves the switch off, and says why, when turning notifications on fails', async () => {
    const toggle = settingSwitch(page, 'Notifications on this device');
    await toggle.uncheck();
    await page.getByRole('status').filter({ hasText: /^Off:/ }).waitFor({ timeout: WAIT_MS });
    await page.route('**/v1/push/subscribe/**', (route) => route.fulfill({ status: 503, body: '' }));
    await toggle.click();
    const alert = page.getByRole('alert');
    await alert.waitFor({ timeout: WAIT_MS });
    await page.getByRole('status').filter({ hasText: /^Off:/ }).waitFor({ timeout: WAIT_MS });
    expect(await toggle.isChecked()).toBe(false);
    // The reason is tied to the switch, which keeps the focus (given back after the change).
    expect((await waitForFocus(page, await toggle.evaluate((box) => box.id))).described).toContain((await alert.textContent())!.trim());
    await page.unroute('**/v1/push/subscribe/**');
    await toggle.check();
    await page.getByRole('status').filter({ hasText: /^On:/ }).waitFor({ timeout: WAIT_MS });
  });

  it('keeps the chat list\'s "Turn on" card, says why, and gives its button the focus back, when turning on fails', async () => {
    const toggle = settingSwitch(page, 'Notifications on this device');
    await toggle.uncheck();
    await page.getByRole('status').filter({ hasText: /^Off:/ }).waitFor({ timeout: WAIT_MS });
    await page.getByRole('link', { name: '← Back to chats' }).click();
    const card = page.getByRole('region', { name: 'Notifications are off' });
    await card.waitFor({ timeout: WAIT_MS });
    await page.route('**/v1/push/subscribe/**', (route) => route.fulfill({ status: 503, body: '' }));
    await card.getByRole('button', { name: 'Turn on' }).click();
    const alert = card.getByRole('alert');
    await alert.waitFor({ timeout: WAIT_MS });
    expect(await focusBackOn('Turn on')).toBe((await alert.textContent())!.trim());
    expect(await card.getByRole('button', { name: 'Turn on' }).isEnabled()).toBe(true);
    await screenshot(page, 'notification-nudge-failed');
    await page.unroute('**/v1/push/subscribe/**');
    await card.getByRole('button', { name: 'Turn on' }).click();
    await card.waitFor({ state: 'detached', timeout: WAIT_MS });
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('status').filter({ hasText: /^On:/ }).waitFor({ timeout: WAIT_MS });
  });

  it('says why "Keep me unlocked" could not be turned on or off, the same way as the notifications switch, and stays true', async () => {
    const toggle = settingSwitch(page, 'Keep me unlocked on this device');
    const alert = page.getByRole('alert');
    // IndexedDB refusing writes: where the kept session lives.

    await refuseWrites(page, true);
    await toggle.click();
    await alert.filter({ hasText: 'could not be kept unlocked' }).waitFor({ timeout: WAIT_MS });
    expect(await alert.textContent()).toContain('quota has been exceeded');
    expect(await toggle.isChecked()).toBe(false);
    expect((await waitForFocus(page, await toggle.evaluate((box) => box.id))).described).toContain('could not be kept unlocked');

    await refuseWrites(page, false);
    await toggle.check();
    await page
      .getByRole('status')
      .filter({ hasText: /without your passphrase/ })
      .waitFor({ timeout: WAIT_MS });
    expect(await alert.count()).toBe(0);

    await refuseWrites(page, true);
    await toggle.click();
    await alert.filter({ hasText: 'could not be ended' }).waitFor({ timeout: WAIT_MS });
    expect(await toggle.isChecked()).toBe(true);
    await refuseWrites(page, false);
    await toggle.uncheck();
    await page
      .getByRole('status')
      .filter({ hasText: /asks for your passphrase each time/ })
      .waitFor({ timeout: WAIT_MS });
    expect(await alert.count()).toBe(0);
  });

  it('reveals the recovery phrase only after the passphrase is typed again', async () => {
    await page.getByLabel('Passphrase').fill('not my passphrase');
    await page.getByRole('button', { name: 'Reveal recovery phrase' }).click();
    await page.getByRole('alert').filter({ hasText: 'doesn’t unlock this identity' }).waitFor({ timeout: WAIT_MS });
    await page.waitForFunction(() => document.activeElement?.id === 'reveal-passphrase');

    await page.getByLabel('Passphrase').fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Reveal recovery phrase' }).click();
    const phrase = page.getByRole('list', { name: 'Recovery phrase' });
    await phrase.waitFor({ timeout: WAIT_MS });
    expect(await phrase.getByRole('listitem').allTextContents()).toEqual(words);
    // The field that had focus is gone: focus moves to the words, then back to the field.
    await waitForFocused(page, 'ol Recovery phrase');
    await page.getByRole('button', { name: 'Hide the words' }).click();
    await phrase.waitFor({ state: 'detached' });
    await waitForFocused(page, 'input#reveal-passphrase ');
  });

  it('does not lock while a kept session cannot be ended, and says why at either Lock button', async () => {
    const keep = settingSwitch(page, 'Keep me unlocked on this device');
    await keep.check();
    await page
      .getByRole('status')
      .filter({ hasText: /without your passphrase/ })
      .waitFor({ timeout: WAIT_MS });
    await refuseWrites(page, true);

    await page.getByRole('button', { name: 'Lock now' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Not locked' });
    await alert.waitFor({ timeout: WAIT_MS });
    expect(await alert.textContent()).toContain('quota has been exceeded');
    expect(await focusBackOn('Lock now')).toBe((await alert.textContent())!.trim());
    expect(new URL(page.url()).pathname).toBe('/settings');
    // Still unlocked, and still kept: nothing pretends otherwise.
    expect(await keep.isChecked()).toBe(true);
    expect(await page.getByLabel('Identity key').count()).toBe(1);
    await alert.scrollIntoViewIfNeeded();
    await screenshot(page, 'settings-lock-failed');

    await page.getByRole('link', { name: '← Back to chats' }).click();
    await page.getByRole('button', { name: 'Lock', exact: true }).click();
    const sidebarAlert = page.getByRole('complementary', { name: 'Your chats' }).getByRole('alert');
    await sidebarAlert.waitFor({ timeout: WAIT_MS });
    expect(await focusBackOn('Lock')).toBe((await sidebarAlert.textContent())!.trim());
    expect(new URL(page.url()).pathname).toBe('/chats');
    await screenshot(page, 'chats-lock-failed');
    await page.setViewportSize({ width: 360, height: 740 });
    await screenshot(page, 'chats-lock-failed-phone');
    await page.setViewportSize({ width: 1280, height: 800 });

    await refuseWrites(page, false);
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('button', { name: 'Lock now' }).waitFor();
  });

  it('locks, and a wrong passphrase leaves the field focused to type again', async () => {
    await page.getByRole('button', { name: 'Lock now' }).click();
    await page.waitForURL('**/unlock');
    await page.getByLabel('Passphrase').fill('gina grows fig 6');
    await page.getByLabel('Passphrase').press('Enter');
    await page.getByRole('alert').filter({ hasText: 'doesn’t unlock this identity' }).waitFor({ timeout: WAIT_MS });
    expect((await waitForFocus(page, 'unlock-passphrase')).described).toContain('doesn’t unlock this identity');
    await page.keyboard.type(PASSPHRASE);
    await page.keyboard.press('Enter');
    await page.waitForURL('**/chats', { timeout: WAIT_MS });
  });

  it('gives the focus back to "Start a chat", described by the reason, when nobody is found', async () => {
    const message = await startChatError(page, 'nobody-here');
    expect((await waitForFocus(page, 'new-chat-input')).described).toBe(message);
  });

  it('forgets this device after a clear confirmation, wiping every database and storage', async () => {
    // Something else the app keeps, in a database of its own: it must go too.
    await page.evaluate(
      () =>
        new Promise<void>((resolve, reject) => {
          const open = indexedDB.open('kez-other-store');
          open.onupgradeneeded = () => open.result.createObjectStore('things');
          open.onsuccess = () => {
            open.result.close();
            resolve();
          };
          open.onerror = () => reject(open.error ?? new Error('IndexedDB open failed'));
        }),
    );
    await page.evaluate(() => localStorage.setItem('kez.something', 'x'));
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('button', { name: 'Forget this device…' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Forget this device?' });
    expect(await dialog.textContent()).toContain('Without the phrase this identity is gone.');
    // The question takes focus on its safe answer; Cancel gives it back to the button that asked.
    await waitForFocused(page, 'button Cancel');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await waitForFocused(page, 'button Forget this device…');
    await page.getByRole('button', { name: 'Forget this device…' }).click();
    const erase = dialog.getByRole('button', { name: 'Erase everything on this device' });

    // The browser refuses to delete a database: the question stays, says why, and its button works again.
    await refuseDatabaseDeletes(page, true);
    await erase.click();
    const alert = dialog.getByRole('alert');
    await alert.waitFor({ timeout: WAIT_MS });
    expect(await alert.textContent()).toContain('The erase did not finish (The database could not be deleted),');
    expect(await focusBackOn('Erase everything on this device')).toBe((await alert.textContent())!.trim());
    expect(await erase.isEnabled()).toBe(true);
    await screenshot(page, 'settings-forget-failed');
    await page.setViewportSize({ width: 360, height: 740 });
    await alert.scrollIntoViewIfNeeded();
    await screenshot(page, 'settings-forget-failed-phone');
    await page.setViewportSize({ width: 1280, height: 800 });

    await refuseDatabaseDeletes(page, false);
    await erase.click();
    await page.getByRole('link', { name: 'Create my identity' }).waitFor({ timeout: WAIT_MS });
    await waitFor(
      'every database gone',
      async () => (await page.evaluate(async () => (await indexedDB.databases()).map((db) => db.name))).every((name) => name === 'kez-chat'),
      WAIT_MS,
    );
    // The app opens its own (empty) store again at the fresh start; nothing is in it.
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
    await page.reload();
    await page.getByRole('link', { name: 'Create my identity' }).waitFor();
  });

  it('erases the same from the unlock screen, and drops the push subscription', async () => {
    await createAccount(page, url(), 'hana', 'hana plants trees 3');
    await waitFor('a push subscription', async () => (await standInEndpoint(page)) !== null, WAIT_MS);
    const endpoint = (await standInEndpoint(page))!;
    await page.reload();
    await page.getByRole('heading', { name: 'Welcome back' }).waitFor();
    // What the erase must drop: the subscription the browser holds through the app's worker.
    const held = () => page.evaluate(async () => (await (await navigator.serviceWorker.getRegistration())?.pushManager.getSubscription())?.endpoint ?? null);
    expect(await held()).toBe(endpoint);
    page.on('dialog', (dialog) => void dialog.accept());
    const remove = page.getByRole('button', { name: 'Remove this identity from this browser' });
    await refuseDatabaseDeletes(page, true);
    await remove.click();
    const alert = page.getByRole('alert').filter({ hasText: 'The erase did not finish' });
    await alert.waitFor({ timeout: WAIT_MS });
    expect(await focusBackOn('Remove this identity from this browser')).toBe((await alert.textContent())!.trim());
    await screenshot(page, 'unlock-forget-failed');
    await refuseDatabaseDeletes(page, false);
    await remove.click();
    await page.getByRole('link', { name: 'Create my identity' }).waitFor({ timeout: WAIT_MS });
    // Locked, the server cannot be told; the dropped subscription makes the push service answer 410, and the server forgets it.
    expect(standIn.unsubscribed).toContain(endpoint);
    expect(await held()).toBeNull();
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
  }, 60_000);
});

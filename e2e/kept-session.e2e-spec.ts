import type { Browser, BrowserContext, Page } from 'playwright-core';

import { type ServerProcess, startServerProcess } from '../server/test/support/server-process';
import { launchChromium, screenshot } from './support/browser';
import { focusedField } from './support/focus';
import { type Refusal, refuseWritesOf } from './support/indexed-db';
import { createAccount, settingSwitch, unlock } from './support/kez-app';

// "Keep me unlocked on this device" in a real browser: it survives reloads without the
// passphrase, lasts 30 days after the last use (the page clock is moved forward), and
// Lock ends it. A browser that refuses to keep it does not undo the unlock.

const PASSPHRASE = 'hugo bakes bread 2';
const DAY_MS = 24 * 60 * 60 * 1000;
const WAIT_MS = 20_000;

describe('sessions that last', () => {
  let server: ServerProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let now = Date.now();

  /** Which screen a reload ends on: the chats (kept unlocked) or the unlock screen. */
  async function reloadLandsOn(): Promise<'chats' | 'unlock'> {
    await page.reload();
    const chats = page.getByRole('status', { name: 'Your KEZ' });
    const unlockScreen = page.getByRole('heading', { name: 'Welcome back' });
    await chats.or(unlockScreen).waitFor({ timeout: WAIT_MS });
    return (await chats.isVisible()) ? 'chats' : 'unlock';
  }

  async function moveClock(days: number): Promise<void> {
    now += days * DAY_MS;
    await context.clock.setSystemTime(now);
  }

  beforeAll(async () => {
    server = await startServerProcess();
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
    await context.clock.install({ time: now });
    page = await context.newPage();
    await createAccount(page, server.url, 'hugo', PASSPHRASE);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  }, 30_000);

  it('asks for the passphrase at each start by default', async () => {
    expect(await reloadLandsOn()).toBe('unlock');
  });

  it('opens without the passphrase after "Keep me unlocked", for 30 days after each use', async () => {
    await page.getByLabel('Keep me unlocked on this device for 30 days').check();
    await screenshot(page, 'unlock-keep');
    await unlock(page, PASSPHRASE);
    expect(await reloadLandsOn()).toBe('chats');

    await moveClock(29);
    expect(await reloadLandsOn()).toBe('chats');
    // That use moved the expiry: 29 more days are still inside it.
    await moveClock(29);
    expect(await reloadLandsOn()).toBe('chats');

    await moveClock(31);
    expect(await reloadLandsOn()).toBe('unlock');
    // Expired is gone, not just refused: a further reload still asks.
    expect(await reloadLandsOn()).toBe('unlock');
  });

  it('ends at Lock', async () => {
    await page.getByLabel('Keep me unlocked on this device for 30 days').check();
    await unlock(page, PASSPHRASE);
    await page.getByRole('button', { name: 'Lock' }).click();
    await page.waitForURL('**/unlock');
    expect(await reloadLandsOn()).toBe('unlock');
  });

  describe('when the browser refuses to keep the session', () => {
    const QUOTA: Refusal = { name: 'QuotaExceededError', message: 'The quota has been exceeded.' };
    const NO_KEY: Refusal = { name: 'DataCloneError', message: 'A CryptoKey could not be stored.' };
    const notice = () => page.getByRole('alert').filter({ hasText: 'could not be kept unlocked' });
    const bar = () => page.getByRole('group', { name: 'This device is not kept unlocked' });

    /** Unlocks with "Keep me unlocked" ticked while the kept session's write is refused; resolves on the chats. */
    async function unlockRefused(refusal: Refusal): Promise<void> {
      expect(await reloadLandsOn()).toBe('unlock');
      await refuseWritesOf(page, 'account', 'kept', refusal);
      await page.getByLabel('Keep me unlocked on this device for 30 days').check();
      await unlock(page, PASSPHRASE);
      await page.getByRole('status', { name: 'Your KEZ' }).waitFor();
      await notice().waitFor();
    }

    const mainHasFocus = () => page.waitForFunction(() => document.activeElement?.id === 'main');

    it('opens the chats all the same and says why, and that the passphrase is asked next time; never that the identity is damaged', async () => {
      await unlockRefused(QUOTA);
      expect(await notice().textContent()).toBe(
        'This device could not be kept unlocked (The quota has been exceeded): KEZ chat will ask for your passphrase the next time it starts.',
      );
      expect(await page.getByText(/damaged/).count()).toBe(0);
      for (const size of [
        { width: 1280, height: 800 },
        { width: 360, height: 740 },
      ]) {
        await page.setViewportSize(size);
        await screenshot(page, `kept-session-refused-${size.width}`);
      }
      await page.setViewportSize({ width: 1280, height: 800 });

      // Try again while the browser still refuses: why, tied to the button, which keeps the focus.
      const retry = bar().getByRole('button', { name: 'Try again' });
      await retry.click();
      const still = page.getByRole('alert').filter({ hasText: 'Still not kept unlocked' });
      await still.waitFor();
      expect(await still.textContent()).toContain('The quota has been exceeded');
      await page.waitForFunction(() => document.activeElement?.textContent?.trim() === 'Try again');
      expect((await focusedField(page)).described).toBe((await still.textContent())!.trim());

      // Once the browser accepts it, Try again keeps the session: the bar goes, the focus goes to the screen.
      await refuseWritesOf(page, 'account', 'kept', null);
      await retry.click();
      await notice().waitFor({ state: 'detached' });
      await mainHasFocus();
      expect(await reloadLandsOn()).toBe('chats');
      await page.getByRole('button', { name: 'Lock' }).click();
      await page.waitForURL('**/unlock');
    });

    it('says so when the CryptoKey cannot be stored; Dismiss takes the notice away, and the next start asks again', async () => {
      await unlockRefused(NO_KEY);
      expect(await notice().textContent()).toContain('(A CryptoKey could not be stored)');
      expect(await page.getByText(/damaged/).count()).toBe(0);
      await bar().getByRole('button', { name: 'Dismiss' }).click();
      await notice().waitFor({ state: 'detached' });
      await mainHasFocus();
      expect(await reloadLandsOn()).toBe('unlock');
    });
  });

  it('is switched on and off in Settings', async () => {
    await unlock(page, PASSPHRASE);
    await page.getByRole('link', { name: 'Settings' }).click();
    // Matched once it takes clicks: the kept session has been read ("Checking…" before).
    const keep = settingSwitch(page, 'Keep me unlocked on this device');
    expect(await keep.isChecked()).toBe(false);
    await keep.check();
    await page.getByRole('status').filter({ hasText: 'opens without your passphrase for 30 days' }).waitFor();
    expect(await reloadLandsOn()).toBe('chats');
    // A fresh start on Settings: the switch shows the kept session once it has been read.
    await page.goto(`${server.url}/settings`);
    expect(await keep.isChecked()).toBe(true);
    await keep.uncheck();
    await page.getByRole('status').filter({ hasText: 'asks for your passphrase each time' }).waitFor();
    expect(await reloadLandsOn()).toBe('unlock');
  });
});

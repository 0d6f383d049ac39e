import type { Browser, Page } from 'playwright-core';

import { type ServerProcess, startServerProcess } from '../server/test/support/server-process';
import { launchChromium, screenshot } from './support/browser';
import { focusedField } from './support/focus';
import { refuseWrites } from './support/indexed-db';
import { createAccount, storedPrimary } from './support/kez-app';
import { addVirtualAuthenticator, type VirtualAuthenticator } from './support/virtual-authenticator';

// Passkey unlock against CDP virtual authenticators, with the PRF extension and
// without. WebAuthn refuses IP addresses as relying-party ids, so the app is opened as
// http://localhost (a secure context too).

const WAIT_MS = 20_000;

/** The passkey record the app keeps in IndexedDB, reduced to what may be asserted about it. */
async function storedPasskey(page: Page): Promise<{ mode: string; fields: string[] }> {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('kez-chat');
        open.onerror = () => reject(open.error ?? new Error('IndexedDB open failed'));
        open.onsuccess = () => {
          const read = open.result.transaction('account').objectStore('account').get('passkey');
          read.onerror = () => reject(read.error ?? new Error('IndexedDB read failed'));
          read.onsuccess = () => {
            const record = read.result as Record<string, unknown> & { mode: string };
            resolve({ mode: record.mode, fields: Object.keys(record).sort() });
          };
        };
      }),
  );
}

describe('passkey unlock', () => {
  let server: ServerProcess;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServerProcess();
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  }, 30_000);

  const url = () => `http://localhost:${server.port}`;

  async function person(handle: string, prf: boolean): Promise<{ page: Page; authenticator: VirtualAuthenticator }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
    const page = await context.newPage();
    await page.goto(url());
    const authenticator = await addVirtualAuthenticator(page, { prf });
    await createAccount(page, url(), handle, `${handle} rides bikes 1`);
    return { page, authenticator };
  }

  async function setUpPasskey(page: Page): Promise<string> {
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('button', { name: 'Set up a passkey' }).click();
    const status = page.getByRole('status').filter({ hasText: 'A passkey unlocks KEZ chat on this device.' });
    await status.waitFor({ timeout: WAIT_MS });
    return (await status.textContent()) ?? '';
  }

  async function lockAndUnlockWithPasskey(page: Page): Promise<void> {
    await page.getByRole('button', { name: 'Lock now' }).click();
    await page.waitForURL('**/unlock');
    await page.getByRole('button', { name: 'Unlock with a passkey' }).click();
    await page.waitForURL('**/chats', { timeout: WAIT_MS });
    await page.getByRole('status', { name: 'Your KEZ' }).waitFor();
  }

  it('with PRF: the seed is sealed under a key only the passkey gives, and the passkey unlocks', async () => {
    const { page, authenticator } = await person('ivy', true);
    expect(await setUpPasskey(page)).toContain('nothing secret is stored for it here');
    // The keyboard focus stays on the section's button, which now removes the passkey.
    await page.waitForFunction(() => document.activeElement?.textContent?.trim() === 'Remove the passkey');
    // user.id is the raw 32-byte ed25519 public key (the text form would exceed 64 bytes).
    const primary = await storedPrimary(page);
    expect((await authenticator.userHandles()).map((handle) => `ed25519:${handle.toString('hex')}`)).toEqual([primary]);
    await screenshot(page, 'settings-passkey');
    const stored = await storedPasskey(page);
    expect(stored.mode).toBe('prf');
    expect(stored.fields).not.toContain('key');

    await lockAndUnlockWithPasskey(page);
    // After a reload too: the passkey is not tied to the page's memory.
    await page.reload();
    await page.getByRole('button', { name: 'Unlock with a passkey' }).click();
    await page.getByRole('status', { name: 'Your KEZ' }).waitFor({ timeout: WAIT_MS });
  }, 90_000);

  it('without PRF: the passkey assertion gates the stored key', async () => {
    const { page } = await person('jack', false);
    expect(await setUpPasskey(page)).toContain('no PRF support');
    const stored = await storedPasskey(page);
    expect(stored.mode).toBe('gate');
    expect(stored.fields).toContain('key');

    // The browser refuses to forget it: the passkey stays, the section says why, and its button has the focus back.
    await refuseWrites(page, true);
    await page.getByRole('button', { name: 'Remove the passkey' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor({ timeout: WAIT_MS });
    expect(await alert.textContent()).toContain('The passkey could not be removed (The quota has been exceeded);');
    await page.waitForFunction(() => document.activeElement?.textContent?.trim() === 'Remove the passkey');
    expect((await focusedField(page)).described).toBe((await alert.textContent())!.trim());
    await screenshot(page, 'settings-passkey-remove-failed');
    await refuseWrites(page, false);

    await lockAndUnlockWithPasskey(page);
  }, 90_000);

  it('says so when the passkey check fails, and the passphrase still works', async () => {
    const { page, authenticator } = await person('kim', true);
    await setUpPasskey(page);
    await page.getByRole('button', { name: 'Lock now' }).click();
    await page.waitForURL('**/unlock');
    await authenticator.setUserVerified(false);
    await page.getByRole('button', { name: 'Unlock with a passkey' }).click();
    const error = page.getByRole('alert');
    await error.waitFor({ timeout: WAIT_MS });
    expect(await error.textContent()).toMatch(/cancelled or timed out|No passkey device/);
    await page.waitForFunction(() => document.activeElement?.textContent?.trim() === 'Unlock with a passkey');
    await screenshot(page, 'unlock-passkey-error');
    expect(new URL(page.url()).pathname).toBe('/unlock');

    // No authenticator at hand: the prompt waits (bounded by its timeout), and the screen says so.
    await authenticator.remove();
    await page.getByRole('button', { name: 'Unlock with a passkey' }).click();
    const waiting = page.getByRole('button', { name: 'Waiting for your passkey…' });
    await waiting.waitFor({ timeout: WAIT_MS });
    expect(await waiting.isDisabled()).toBe(true);

    await page.getByLabel('Passphrase').fill('kim rides bikes 1');
    await page.getByRole('button', { name: 'Unlock', exact: true }).click();
    await page.waitForURL('**/chats', { timeout: WAIT_MS });
  }, 90_000);
});

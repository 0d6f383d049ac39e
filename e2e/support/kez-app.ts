import type { Locator, Page } from 'playwright-core';

import { readStored } from './indexed-db';

// The steps a person takes in the KEZ chat client, written once for every browser
// test. Elements are found the way assistive technology finds them: by role and by
// accessible name, so these steps also check that the screens are labelled.

/** Long enough for scrypt (about half a second) on a slow CI machine. */
const SLOW_MS = 20_000;

/**
 * Creates an identity and registers `handle`; returns the 24 words the screen showed.
 * `onPhrase` runs while the phrase is on screen, `beforeRegister` on the handle screen
 * just before the Register click (which also makes the first notifications offer).
 */
export async function createAccount(
  page: Page,
  baseUrl: string,
  handle: string,
  passphrase: string,
  onPhrase?: () => Promise<void>,
  beforeRegister?: () => Promise<void>,
): Promise<string[]> {
  await page.goto(baseUrl);
  await page.getByRole('link', { name: 'Create my identity' }).click();
  const phrase = page.getByRole('list', { name: 'Recovery phrase' });
  await phrase.waitFor();
  const words = await phrase.locator('.phrase__w').allTextContents();
  if (words.length !== 24) {
    throw new Error(`expected 24 words on screen, saw ${words.length}`);
  }
  await onPhrase?.();
  await page.getByRole('button', { name: 'I’ve written them down' }).click();
  const labels = page.locator('label', { hasText: /^Word #\d+$/ });
  await labels.first().waitFor();
  for (const label of await labels.allTextContents()) {
    const position = Number(label.replace('Word #', ''));
    await page.getByLabel(label, { exact: true }).fill(words[position - 1]);
  }
  await page.getByRole('button', { name: 'Continue' }).click();
  await choosePassphrase(page, passphrase, 'Protect my identity');
  await page.waitForURL('**/register', { timeout: SLOW_MS });
  await page.getByLabel('Handle', { exact: true }).fill(handle);
  await page.getByText('is available').waitFor();
  await beforeRegister?.();
  await page.getByRole('button', { name: 'Register' }).click();
  await page.waitForURL('**/chats');
  return words;
}

/**
 * The Settings switch named `name`, matched only while it takes clicks: its state is
 * known and no change is under way (it says "Checking…" or "Saving…" meanwhile, and
 * is disabled). Clicking it, or reading its state, therefore waits for that product
 * signal instead of landing on a state about to be replaced.
 */
export function settingSwitch(page: Page, name: string): Locator {
  return page.getByRole('switch', { name, disabled: false });
}

export async function choosePassphrase(page: Page, passphrase: string, submit: string): Promise<void> {
  await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await page.getByLabel('Repeat the passphrase').fill(passphrase);
  await page.getByRole('button', { name: submit }).click();
}

/** Unlocks; the app then returns to the chat link it was opened on (`/unlock?next=`), or to `/chats`. */
export async function unlock(page: Page, passphrase: string): Promise<void> {
  await page.waitForURL(/\/unlock(\?|$)/);
  await page.getByLabel('Passphrase').fill(passphrase);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await page.waitForURL(/\/chats(\/|$)/, { timeout: SLOW_MS });
}

/** "Start a chat" with `who`; resolves when the thread is open. */
export async function startChat(page: Page, who: string): Promise<void> {
  await page.getByLabel('Start a chat').fill(who);
  await page.getByRole('button', { name: 'Chat', exact: true }).click();
  await page.waitForURL(/\/chats\/[^/]+$/);
}

/** The error "Start a chat" shows for `who`. */
export async function startChatError(page: Page, who: string): Promise<string> {
  const error = page.locator('#new-chat-error');
  await page.getByLabel('Start a chat').fill(who);
  // Typing clears the previous error; wait for that, so the one read below is the new one.
  await error.waitFor({ state: 'detached' });
  await page.getByRole('button', { name: 'Chat', exact: true }).click();
  return (await error.textContent())?.trim() ?? '';
}

/** Types into the thread's composer and presses Enter (Shift+Enter for each line break). */
export async function send(page: Page, peer: string, text: string): Promise<void> {
  const field = page.getByLabel(`Message @${peer}`);
  const lines = text.split('\n');
  for (const [index, line] of lines.entries()) {
    await field.pressSequentially(line);
    if (index < lines.length - 1) {
      await field.press('Shift+Enter');
    }
  }
  await field.press('Enter');
}

/** Waits until the clipboard holds `text` (a copy writes it asynchronously, after the click). */
export async function waitForClipboard(page: Page, text: string): Promise<void> {
  await page.waitForFunction(async (wanted) => (await navigator.clipboard.readText()) === wanted, text, { timeout: SLOW_MS, polling: 100 });
}

/** The KEZ the sidebar shows as "Your KEZ". */
export async function myKez(page: Page): Promise<string> {
  return (await page.getByRole('status', { name: 'Your KEZ' }).textContent())?.trim() ?? '';
}

export function bubble(page: Page, text: string): Locator {
  return page.locator('kez-message-bubble', { has: page.locator('.bubble__text', { hasText: text }) });
}

export function conversationRow(page: Page, handle: string): Locator {
  return page.getByRole('navigation', { name: 'Conversations' }).getByRole('link', { name: new RegExp(`@${handle}\\b`) });
}

/** Waits until the sidebar footer says `label` ("Live", "Reconnecting…", "Connecting…"); an open thread on a phone has its own. */
export async function waitForLink(page: Page, label: string, timeout: number): Promise<void> {
  await page.getByRole('complementary', { name: 'Your chats' }).locator('kez-link-indicator', { hasText: label }).waitFor({ timeout });
}

export async function bodies(page: Page): Promise<string[]> {
  return page.locator('kez-message-bubble .bubble__text').evaluateAll((nodes) => nodes.map((node) => (node.firstChild?.textContent ?? '').trim()));
}

/** The primary of the identity kept in the page's IndexedDB (public data, stored beside the wrapped seed). */
export async function storedPrimary(page: Page): Promise<string> {
  const account = await readStored<{ primary: string }>(page, 'account', 'current');
  if (account === undefined) {
    throw new Error('no identity is stored in this browser');
  }
  return account.primary;
}

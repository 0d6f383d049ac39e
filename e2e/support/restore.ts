import { validateMnemonic } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import type { Page } from 'playwright-core';

/** Opens the restore screen from the welcome page. */
export async function openRestore(page: Page, baseUrl: string): Promise<void> {
  await page.goto(baseUrl);
  await page.getByRole('link', { name: 'I have a recovery phrase' }).click();
  await page.getByLabel('Recovery phrase').waitFor();
}

/** Opens the restore screen and types `words` as the recovery phrase, then presses Continue. */
export async function enterPhrase(page: Page, baseUrl: string, words: readonly string[]): Promise<void> {
  await openRestore(page, baseUrl);
  await page.getByLabel('Recovery phrase').fill(words.join(' '));
  await page.getByRole('button', { name: 'Continue' }).click();
}

/** The phrase with its last word (which carries the checksum) replaced by another list word that breaks the checksum. */
export function withWrongLastWord(words: readonly string[]): string[] {
  for (const candidate of wordlist) {
    const changed = [...words.slice(0, -1), candidate];
    if (candidate !== words[words.length - 1] && !validateMnemonic(changed.join(' '), wordlist)) {
      return changed;
    }
  }
  throw new Error('no word breaks the checksum (impossible for a 24-word phrase)');
}

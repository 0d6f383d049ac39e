import type { Page } from 'playwright-core';

/** What a screen reader says on arriving at the focused element: its id and the texts its `aria-describedby` points to. */
export interface FocusedField {
  id: string;
  described: string;
}

/** The focused element's id and description (`aria-describedby`, texts joined by a space). */
export function focusedField(page: Page): Promise<FocusedField> {
  return page.evaluate(() => {
    const element = document.activeElement;
    const ids = element?.getAttribute('aria-describedby')?.split(/\s+/) ?? [];
    const described = ids.map((id) => document.getElementById(id)?.textContent?.trim() ?? `(missing #${id})`).join(' ');
    return { id: element?.id ?? '', described };
  });
}

/** Generous: focus moves after a render, which a loaded machine can hold up; no speed figure. */
const FOCUS_WAIT_MS = 20_000;

/** Waits until the element with `id` has keyboard focus (focus moves after the next render). */
export async function waitForFocus(page: Page, id: string): Promise<FocusedField> {
  await page.waitForFunction((wanted) => document.activeElement?.id === wanted, id, { timeout: FOCUS_WAIT_MS });
  return focusedField(page);
}

/**
 * Waits until the focused element reads as `expected`: its tag, `#id` when it has
 * one, then its `aria-label` or its text, e.g. `h1 Settings`, `button Cancel` or
 * `input#unlock-passphrase ` (an input has no text). Focus moves after the next
 * render, so a test waits for it rather than reading it at once.
 */
export async function waitForFocused(page: Page, expected: string): Promise<void> {
  await page.waitForFunction(
    (wanted) => {
      const element = document.activeElement as HTMLElement | null;
      const seen = element
        ? `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''} ${element.getAttribute('aria-label') ?? element.innerText.trim()}`
        : 'none';
      return seen === wanted;
    },
    expected,
    { timeout: FOCUS_WAIT_MS },
  );
}

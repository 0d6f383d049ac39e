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

/** Waits until the element with `id` has keyboard focus (focus moves after the next render). */
export async function waitForFocus(page: Page, id: string): Promise<FocusedField> {
  await page.waitForFunction((wanted) => document.activeElement?.id === wanted, id, { timeout: 10_000 });
  return focusedField(page);
}

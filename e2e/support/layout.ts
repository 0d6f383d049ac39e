import type { Locator, Page } from 'playwright-core';

// Layout checks for small screens: nothing may widen the page, and what a person has
// to act on must be inside the viewport.

/** How far the page is wider than the viewport (0 when nothing overflows sideways). */
export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/**
 * What sticks out of the viewport on the right (tag, classes, right edge), outermost
 * first; empty when the page holds. A failing check names the culprit.
 */
export function overflowingElements(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    return Array.from(document.body.querySelectorAll('*'))
      .filter((element) => element.getBoundingClientRect().right > width + 0.5 && element.closest('.visually-hidden') === null)
      .filter((element) => getComputedStyle(element).position !== 'fixed')
      .slice(0, 5)
      .map((element) => `${element.tagName.toLowerCase()}.${String(element.className)} right=${Math.round(element.getBoundingClientRect().right)}`);
  });
}

/**
 * Elements showing `text` cut short: their content is wider than their box and the
 * rest is hidden (an ellipsis or a clip), so the whole of it cannot be read. Names
 * and addresses must wrap instead. Descriptors of at most 5 such elements.
 */
export function cutTexts(page: Page, text: string): Promise<string[]> {
  return page.evaluate((wanted) => {
    return Array.from(document.body.querySelectorAll('*'))
      .filter((element) => (element.textContent ?? '').includes(wanted) && element.closest('.visually-hidden') === null)
      .filter((element) => element.scrollWidth > element.clientWidth + 1 && ['hidden', 'clip'].includes(getComputedStyle(element).overflowX))
      .slice(0, 5)
      .map((element) => `${element.tagName.toLowerCase()}.${String(element.className)} ${element.scrollWidth}>${element.clientWidth}`);
  }, text);
}

/** True when the element's box lies wholly inside the viewport (it can be seen and reached without scrolling). */
export async function inViewport(page: Page, locator: Locator): Promise<boolean> {
  const box = await locator.boundingBox();
  const viewport = page.viewportSize();
  if (box === null || viewport === null) {
    return false;
  }
  return box.x >= 0 && box.y >= 0 && box.x + box.width <= viewport.width + 0.5 && box.y + box.height <= viewport.height + 0.5;
}

/** The longest server name the configuration accepts: 253 characters of DNS labels (63 at most each). */
export function longestServerName(): string {
  return ['a'.repeat(63), 'b'.repeat(63), 'c'.repeat(63), 'd'.repeat(61)].join('.');
}

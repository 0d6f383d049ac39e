import type { Locator } from 'playwright-core';

/** How many lines the element's visible text takes on screen (1 when it does not wrap; text for screen readers only is left out). */
export function textLines(locator: Locator): Promise<number> {
  return locator.evaluate((element) => {
    const rects: DOMRect[] = [];
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
      if (node.parentElement?.closest('.visually-hidden') === null && node.textContent?.trim() !== '') {
        const range = document.createRange();
        range.selectNodeContents(node);
        rects.push(...Array.from(range.getClientRects()).filter((rect) => rect.width > 0));
      }
    }
    rects.sort((a, b) => a.top - b.top);
    // A rect starting below the bottom of the current line starts a new one (inline pieces of one line overlap vertically).
    let lines = 0;
    let bottom = -Infinity;
    for (const rect of rects) {
      if (rect.top >= bottom - 1) {
        lines += 1;
        bottom = rect.bottom;
      } else {
        bottom = Math.max(bottom, rect.bottom);
      }
    }
    return lines;
  });
}

import type { Locator } from 'playwright-core';

// WCAG 2 contrast of text against what is behind it, measured in the browser from the
// computed styles, so a colour token that is too light for text fails a test.

/**
 * The contrast ratio (1 to 21) of the element's text colour against the first opaque
 * background among it and its ancestors (white when there is none). Colours with
 * transparency are taken as opaque: a translucent text colour measures a little
 * better than it shows.
 */
export function textContrast(locator: Locator): Promise<number> {
  return locator.evaluate((element) => {
    const rgb = (color: string): [number, number, number, number] => {
      // Computed colours come as rgb()/rgba(), or color(srgb r g b / a) for color-mix() results (0..1).
      const srgb = /color\(srgb ([\d.]+) ([\d.]+) ([\d.]+)(?: \/ ([\d.]+))?\)/.exec(color);
      if (srgb !== null) {
        return [Number(srgb[1]) * 255, Number(srgb[2]) * 255, Number(srgb[3]) * 255, srgb[4] === undefined ? 1 : Number(srgb[4])];
      }
      const [r = 0, g = 0, b = 0, a = 1] = (color.match(/[\d.]+/g) ?? []).map(Number);
      return [r, g, b, a];
    };
    const luminance = ([r, g, b]: [number, number, number, number]) =>
      [r, g, b]
        .map((c) => (c / 255 <= 0.03928 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4))
        .reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
    let background: [number, number, number, number] = [255, 255, 255, 1];
    for (let node: Element | null = element; node !== null; node = node.parentElement) {
      const color = rgb(getComputedStyle(node).backgroundColor);
      if (color[3] >= 0.99) {
        background = color;
        break;
      }
    }
    const [light, dark] = [luminance(rgb(getComputedStyle(element).color)), luminance(background)].sort((a, b) => b - a);
    return (light + 0.05) / (dark + 0.05);
  });
}

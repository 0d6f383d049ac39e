import { sha256 } from '@noble/hashes/sha2.js';

import { utf8 } from '@kez/crypto';

// The stand-in face of someone without a picture (or whose picture we may not see):
// a 5×5 mirrored grid, GitHub-identicon style, from SHA-256 of their primary. The
// same primary always gives the same picture, on every device.

/** An SVG data URL, square, deterministic for `primary`. */
export function identiconUrl(primary: string): string {
  const hash = sha256(utf8(primary));
  const hue = ((hash[0]! << 8) | hash[1]!) % 360;
  const colour = `hsl(${hue} 55% 50%)`;
  const cells: string[] = [];
  for (let row = 0; row < 5; row++) {
    for (let column = 0; column < 3; column++) {
      const bit = hash[2 + row * 3 + column]! & 1;
      if (bit === 1) {
        cells.push(`<rect x="${column + 1}" y="${row + 1}" width="1" height="1"/>`);
        if (column < 2) {
          cells.push(`<rect x="${5 - column}" y="${row + 1}" width="1" height="1"/>`);
        }
      }
    }
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 7 7" shape-rendering="crispEdges"><rect width="7" height="7" fill="hsl(${hue} 30% 92%)"/><g fill="${colour}">${cells.join('')}</g></svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}

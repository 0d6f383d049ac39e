// Renders the app icons (client/public/icons/*.png) from the brand mark with Chromium,
// so the PNGs the manifest names stay the same drawing as favicon.svg. Run it after
// changing the mark: `node scripts/make-icons.mjs`. The PNGs are committed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { chromium } from 'playwright-core';

const root = join(import.meta.dirname, '..');
const mark = readFileSync(join(root, 'client/public/favicon.svg'), 'utf8');
const out = join(root, 'client/public/icons');

// "any" icons: the mark as it is, rounded corners included. "maskable": a full-bleed
// square whose content sits inside the central 80 % safe zone, since launchers cut
// their own shape (circle, squircle) out of it.
const icons = [
  { file: 'icon-192.png', size: 192, maskable: false },
  { file: 'icon-512.png', size: 512, maskable: false },
  { file: 'maskable-512.png', size: 512, maskable: true },
];

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  for (const { file, size, maskable } of icons) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    const inner = maskable ? Math.round(size * 0.8) : size;
    const html = `<!doctype html><html><body style="margin:0;display:grid;place-items:center;width:${size}px;height:${size}px;background:${maskable ? '#2f6f5e' : 'transparent'}">
      <div style="width:${inner}px;height:${inner}px">${mark.replace('<svg ', `<svg width="${inner}" height="${inner}" `)}</div></body></html>`;
    await page.setContent(html);
    await page.screenshot({ path: join(out, file), omitBackground: !maskable });
    await page.close();
  }
} finally {
  await browser.close();
}

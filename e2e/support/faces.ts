import type { Locator, Page } from 'playwright-core';

import { SealedHistoryStore } from '../../client/src/app/core/storage/history-store';
import type { Store } from '../../client/src/app/core/storage/store';
import { pngToRgba } from '../../client/src/app/core/faces/png-pixels';
import { waitFor } from '../../server/test/support/wait-for';
import { readStored } from './indexed-db';

// Steps and probes for the profile-picture browser test (e2e/faces.e2e-spec.ts).

/** Opens Settings from the chat screen (in the app: a reload would lock it). */
export async function openSettings(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.waitForURL('**/settings');
}

/** Back from Settings to the chat screen. */
export async function backToChats(page: Page): Promise<void> {
  await page.getByRole('link', { name: '← Back to chats' }).click();
  await page.waitForURL('**/chats');
}

/** Opens Settings, saves `relays` as the relay list (chat and profile, Settings → Relays), and stays there. */
export async function setRelays(page: Page, relays: readonly string[]): Promise<void> {
  await openSettings(page);
  const field = page.getByLabel('Relays, one per line');
  // The list shown first is the home server's (or the person's); wait for it before replacing it.
  await page.locator('#relay-source').filter({ hasNotText: 'Loading…' }).waitFor();
  await field.fill(relays.join('\n'));
  await page.getByRole('button', { name: 'Save relays' }).click();
  try {
    // The app writes the relays back normalised (ws://host:port/).
    const normalised = relays.map((url) => new URL(url).href).join('\n');
    await page.getByText('Your own list.').waitFor();
    await page.waitForFunction((expected) => document.querySelector<HTMLTextAreaElement>('[data-testid=relays]')?.value === expected, normalised);
  } catch (error) {
    const alerts = await page.getByRole('alert').allTextContents();
    throw new Error(`the relays were not saved on ${page.url()} (alerts: ${alerts.join(' | ') || 'none'}): ${(error as Error).message}`);
  }
}

/**
 * A JPEG of a picture drawn by the browser (width × height, not square), with an
 * APP1 EXIF segment spliced in after SOI that names a GPS position and `marker`.
 */
export async function jpegWithExif(page: Page, width: number, height: number, marker: string): Promise<Buffer> {
  const base64 = await page.evaluate(
    ([w, h]) => {
      const canvas = document.createElement('canvas');
      canvas.width = w;
      canvas.height = h;
      const context = canvas.getContext('2d')!;
      const gradient = context.createLinearGradient(0, 0, w, h);
      gradient.addColorStop(0, '#1d4ed8');
      gradient.addColorStop(1, '#f59e0b');
      context.fillStyle = gradient;
      context.fillRect(0, 0, w, h);
      context.fillStyle = '#dc2626';
      context.beginPath();
      context.arc(w / 2, h / 2, h / 4, 0, Math.PI * 2);
      context.fill();
      context.fillStyle = '#ffffff';
      context.fillRect(w / 2 - 10, h / 2 - 60, 20, 120);
      return canvas.toDataURL('image/jpeg', 0.95).split(',')[1];
    },
    [width, height] as const,
  );
  const jpeg = Buffer.from(base64, 'base64');
  // "Exif\0\0", a big-endian TIFF header, an IFD with no entries, then the marker text.
  const tiff = Buffer.concat([
    Buffer.from('MM\0*\0\0\0\x08', 'latin1'),
    Buffer.from([0, 0, 0, 0, 0, 0]),
    Buffer.from(`GPSLatitude 48.8584 N GPSLongitude 2.2945 E ${marker}`, 'latin1'),
  ]);
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const length = Buffer.alloc(2);
  length.writeUInt16BE(payload.length + 2);
  return Buffer.concat([jpeg.subarray(0, 2), Buffer.from([0xff, 0xe1]), length, payload, jpeg.subarray(2)]);
}

/** The `src` of the face shown for `primary` in `scope` (a CSS selector around the avatar). */
export async function faceSrc(page: Page, primary: string, scope = 'body'): Promise<string> {
  return (await page.locator(`${scope} kez-avatar[data-primary="${primary}"] img`).first().getAttribute('src')) ?? '';
}

/** Waits until the face for `primary` in `scope` is a picture (a JPEG or PNG, not the SVG identicon). */
export async function waitForPictureFace(page: Page, primary: string, scope: string, timeout = 30_000): Promise<string> {
  const selector = `${scope} kez-avatar[data-primary="${primary}"] img:is([src^="data:image/jpeg"], [src^="data:image/png"])`;
  await page.locator(selector).first().waitFor({ timeout });
  return faceSrc(page, primary, scope);
}

/**
 * A value of the app's `private` bucket (faces), read as the app reads it: the raw
 * entries from the page's IndexedDB (indexed-db.ts), opened in Node with the keys
 * `seed` gives (storage/history-store.ts), since on disk they are sealed.
 */
export async function storedPrivate<T>(page: Page, seed: Uint8Array, key: string): Promise<T | undefined> {
  const raw: Pick<Store, 'get'> = { get: (bucket: string, slot: string) => readStored(page, bucket, slot) };
  return new SealedHistoryStore(raw as Store, seed).get<T>('private', key);
}

/** Reads storedPrivate until the value under `key` exists and passes `test`; returns it. */
export async function waitForStoredPrivate<T>(page: Page, seed: Uint8Array, key: string, test: (value: T) => boolean, timeout = 30_000): Promise<T> {
  let value: T | undefined;
  await waitFor(
    `${key} in the expected state in the page's private bucket`,
    async () => (value = await storedPrivate<T>(page, seed, key)) !== undefined && test(value),
    timeout,
    250,
  );
  return value!;
}

/**
 * Whether the circle of the avatar for `primary` in `scope` still shows where it ends
 * when the picture is white to its edge: whiteEdgeShows on that avatar.
 */
export function whiteFaceEdgeShows(page: Page, primary: string, scope: string): Promise<boolean> {
  const avatar = page.locator(`${scope} kez-avatar[data-primary="${primary}"]`).first();
  return whiteEdgeShows(page, avatar, avatar.locator('img'));
}

/**
 * Whether `circle` (an avatar, or a picture preview) still shows where it ends when
 * its picture `img` is white to its edge (a logo whose transparent parts came out
 * white, on a white background): the picture is replaced by a white one for the look
 * (then put back), and the pixels at the top of the circle must differ from the
 * background just above it by at least 30 levels over the three channels.
 */
export async function whiteEdgeShows(page: Page, circle: Locator, img: Locator): Promise<boolean> {
  const white = `data:image/svg+xml,${encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect width="1" height="1" fill="#fff"/></svg>')}`;
  const shown = (await img.getAttribute('src')) ?? '';
  const swap = (src: string) =>
    img.evaluate((element, url) => {
      (element as HTMLImageElement).src = url;
      return (element as HTMLImageElement).decode();
    }, src);
  await swap(white);
  const box = (await circle.boundingBox())!;
  const margin = 4;
  const clip = { x: box.x - margin, y: box.y - margin, width: box.width + 2 * margin, height: box.height + 2 * margin };
  const image = pngToRgba(await page.screenshot({ clip }));
  await swap(shown);
  const scale = image.width / clip.width;
  const at = (x: number, y: number) => {
    const offset = (Math.round(y * scale) * image.width + Math.round(x * scale)) * 4;
    return [image.data[offset], image.data[offset + 1], image.data[offset + 2]];
  };
  // Down the middle column across the top of the circle (boxes may sit at half pixels).
  const centre = clip.width / 2;
  const outside = at(centre, 1);
  const differences = [margin - 1, margin, margin + 1, margin + 2].map((y) => at(centre, y).reduce((sum, value, i) => sum + Math.abs(value - outside[i]), 0));
  return Math.max(...differences) >= 30;
}

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { deriveIdentity, type Identity, openVisualKey, phraseToSeed, readVisualFragment } from '@kez/crypto';
import { readProfile } from '@kez/nostr';
import { SimplePool } from 'nostr-tools/pool';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { WebSocket } from 'ws';

import { pictureDataUrl } from '../client/src/app/core/faces/picture-data-url';
import { pngToRgba } from '../client/src/app/core/faces/png-pixels';
import { freePort } from '../server/test/support/free-port';
import { TestRelay } from '../server/test/support/nostr-relay';
import { type ServerProcess, startServerProcess } from '../server/test/support/server-process';
import { waitFor } from '../server/test/support/wait-for';
import { launchChromium, screenshot } from './support/browser';
import { focusedField } from './support/focus';
import { refuseWrites } from './support/indexed-db';
import {
  backToChats,
  faceSrc,
  jpegWithExif,
  openSettings,
  setRelays,
  storedPrivate,
  waitForPictureFace,
  waitForStoredPrivate,
  whiteEdgeShows,
  whiteFaceEdgeShows,
} from './support/faces';
import { bubble, choosePassphrase, conversationRow, createAccount, myKez, send, startChat, storedPrimary } from './support/kez-app';

// Profile pictures only contacts can see, against a real relay (@nostr-relay/core on
// loopback) and the real built server and client: alice sets a picture from a JPEG
// carrying EXIF; bob, whom she wrote to, sees her face (the very JPEG she keeps, which
// matches her input resized within JPEG's error); carol, who
// only wrote to her, sees noise (her screen shows alice's identicon); a fresh browser
// restored from alice's phrase sees alice's own face. The steps build on each other.

const SERVER = 'chat.test';
const MARKER = 'KEZ-EXIF-MARKER-Eiffel';

interface Person {
  context: BrowserContext;
  page: Page;
  phrase: string[];
  identity: Identity;
  primary: string;
}

/** RGBA pixels of a PNG data URL (the noise: decoded here, as any nostr client could). */
function pixels(dataUrl: string): { width: number; height: number; data: Uint8Array } {
  expect(dataUrl).toMatch(/^data:image\/png;base64,/);
  return pngToRgba(Buffer.from(dataUrl.split('#')[0].split(',')[1], 'base64'));
}

/**
 * RGBA pixels of a PNG or JPEG data URL, decoded by the browser (no JPEG decoder here);
 * with `square`, of its centre square resized to `square` × `square` (smoothing
 * "high"). They cross from the page as base64: a plain array of 262,144 numbers takes
 * Playwright's serialisation tens of seconds on a loaded machine.
 */
async function browserPixels(page: Page, dataUrl: string, square?: number): Promise<{ width: number; height: number; data: Uint8Array }> {
  const { width, height, base64 } = await page.evaluate(
    async ([url, side]) => {
      const bitmap = await createImageBitmap(await (await fetch(url)).blob());
      const [w, h] = side === undefined ? [bitmap.width, bitmap.height] : [side, side];
      const canvas = new OffscreenCanvas(w, h);
      const context = canvas.getContext('2d')!;
      if (side === undefined) {
        context.drawImage(bitmap, 0, 0);
      } else {
        const crop = Math.min(bitmap.width, bitmap.height);
        context.imageSmoothingQuality = 'high';
        context.drawImage(bitmap, (bitmap.width - crop) / 2, (bitmap.height - crop) / 2, crop, crop, 0, 0, side, side);
      }
      const bytes = new Uint8Array(context.getImageData(0, 0, w, h).data.buffer);
      let text = '';
      for (let i = 0; i < bytes.length; i += 0x8000) {
        text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      }
      return { width: w, height: h, base64: btoa(text) };
    },
    [dataUrl, square] as const,
  );
  return { width, height, data: new Uint8Array(Buffer.from(base64, 'base64')) };
}

/**
 * The exact copy is a JPEG (quality 0.85; docs/adr/0010-compact-profile-pictures.md),
 * so a colour comes back within a few levels of what was drawn, not bit for bit: 12
 * levels per channel covers JPEG's rounding of flat areas at that quality.
 */
function expectColourNear(actual: number[], expected: number[]): void {
  expect(actual.map((value, i) => Math.abs(value - expected[i]) <= 12)).toEqual(expected.map(() => true));
}

/** The share of pixels (RGBA groups) that differ between two pictures of the same size. */
function differingShare(a: Uint8Array, b: Uint8Array): number {
  let differing = 0;
  for (let i = 0; i < a.length; i += 4) {
    if (a[i] !== b[i] || a[i + 1] !== b[i + 1] || a[i + 2] !== b[i + 2] || a[i + 3] !== b[i + 3]) {
      differing++;
    }
  }
  return differing / (a.length / 4);
}

/** The RGBA of the pixel at (x, y). */
function pixelAt(image: { width: number; data: Uint8Array }, x: number, y: number): number[] {
  const at = (y * image.width + x) * 4;
  return [...image.data.subarray(at, at + 4)];
}

/**
 * An image drawn in the page: "transparent" (a purple disc on nothing), "green" (a
 * black corner, green elsewhere) or "gradient"; encoded as `type`.
 */
async function drawnImage(
  page: Page,
  width: number,
  height: number,
  type: 'image/png' | 'image/jpeg',
  look: 'transparent' | 'green' | 'gradient',
): Promise<Buffer> {
  const base64 = await page.evaluate(
    async ([w, h, mime, kind]) => {
      const canvas = new OffscreenCanvas(w, h);
      const context = canvas.getContext('2d')!;
      if (kind === 'transparent') {
        context.fillStyle = '#7c3aed';
        context.beginPath();
        context.arc(w / 2, h / 2, w / 3, 0, Math.PI * 2);
        context.fill();
      } else if (kind === 'green') {
        context.fillStyle = '#16a34a';
        context.fillRect(0, 0, w, h);
        // A black corner, so the picture is not one colour (its noise must differ from it).
        context.fillStyle = '#000000';
        context.fillRect(0, 0, w / 4, h / 4);
      } else {
        const gradient = context.createLinearGradient(0, 0, w, h);
        gradient.addColorStop(0, '#0ea5e9');
        gradient.addColorStop(1, '#e11d48');
        context.fillStyle = gradient;
        context.fillRect(0, 0, w, h);
      }
      const bytes = new Uint8Array(await (await canvas.convertToBlob({ type: mime })).arrayBuffer());
      let text = '';
      for (let i = 0; i < bytes.length; i += 0x8000) {
        text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      }
      return btoa(text);
    },
    [width, height, type, look] as const,
  );
  return Buffer.from(base64, 'base64');
}

function sortedPixels(data: Uint8Array): number[] {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  return Array.from({ length: data.length / 4 }, (_, i) => view.getUint32(i * 4)).sort((x, y) => x - y);
}

describe('profile pictures only contacts can see', () => {
  let relay: TestRelay;
  let server: ServerProcess;
  let browser: Browser;
  let alice: Person;
  let bob: Person;
  let carol: Person;
  let input: Buffer;
  const url = () => `http://127.0.0.1:${server.port}`;

  async function newPerson(handle: string): Promise<Person> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
    const page = await context.newPage();
    const phrase = await createAccount(page, url(), handle, `${handle} keeps a secret face 5`);
    const identity = deriveIdentity(phraseToSeed(phrase.join(' ')));
    return { context, page, phrase, identity, primary: await storedPrimary(page) };
  }

  /** Alice's newest kind 0 on the relay, as any nostr client reads it. */
  async function aliceProfile(): Promise<Record<string, unknown> | undefined> {
    const pool = new SimplePool();
    try {
      const events = await pool.querySync([relay.url], { kinds: [0], authors: [alice.identity.addr] }, { maxWait: 5_000 });
      const newest = events.sort((a, b) => b.created_at - a.created_at)[0];
      return newest ? readProfile(newest) : undefined;
    } finally {
      pool.close([relay.url]);
    }
  }

  /** The size of alice's newest kind 0 on the relay, in bytes of JSON. */
  async function aliceEventBytes(): Promise<number> {
    const pool = new SimplePool();
    try {
      const events = await pool.querySync([relay.url], { kinds: [0], authors: [alice.identity.addr] }, { maxWait: 5_000 });
      const newest = events.sort((a, b) => b.created_at - a.created_at)[0];
      return Buffer.byteLength(JSON.stringify(newest));
    } finally {
      pool.close([relay.url]);
    }
  }

  /** Reads alice's newest kind 0 from the relay until it passes `test` (a batched publish comes seconds after its change); returns it. */
  async function waitForAliceProfile(test: (profile: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
    let profile: Record<string, unknown> | undefined;
    await waitFor(
      'alice’s kind 0 in the expected state on the relay',
      async () => (profile = await aliceProfile()) !== undefined && test(profile),
      30_000,
      500,
    );
    return profile!;
  }

  /**
   * At phone and desktop widths the thread header shows the whole address: neither the
   * address nor its line is cut (content no wider than the box). Screenshots each width.
   */
  async function expectHeaderFits(page: Page, name: string): Promise<void> {
    const fits = (selector: string) => page.locator(selector).evaluate((element) => element.scrollWidth <= element.clientWidth);
    for (const width of [320, 360, 1280]) {
      await page.setViewportSize({ width, height: 800 });
      await page.getByTestId('thread-address').waitFor();
      expect({ width, address: await fits('[data-testid=thread-address]'), line: await fits('.head__sub'), header: await fits('.head') }).toEqual({
        width,
        address: true,
        line: true,
        header: true,
      });
      await screenshot(page, `${name}-${width}`);
    }
  }

  beforeAll(async () => {
    // nostr-tools' pool in Node needs a WebSocket class.
    (globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;
    relay = await TestRelay.start();
    const port = await freePort();
    server = await startServerProcess({
      port,
      env: { KEZ_CHAT_SERVER: SERVER, KEZ_CHAT_DB: join(mkdtempSync(join(tmpdir(), 'kez-faces-')), 'kez.db'), KEZ_CHAT_RELAYS: '' },
    });
    browser = await launchChromium();
    alice = await newPerson('alice');
    bob = await newPerson('bob');
    carol = await newPerson('carol');
    for (const person of [bob, carol]) {
      await setRelays(person.page, [relay.url]);
      await backToChats(person.page);
    }
    // Alice stays in Settings to set her picture.
    await setRelays(alice.page, [relay.url]);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await relay?.close();
  }, 30_000);

  it('alice sets a picture from a JPEG with EXIF: prepared 256×256, published scrambled, EXIF gone', async () => {
    const page = alice.page;
    input = await jpegWithExif(page, 480, 320, MARKER);
    expect(input.includes(Buffer.from(MARKER))).toBe(true);
    // Without a picture there is nothing to show or hide: the switch waits for one.
    expect(await page.getByRole('switch', { name: 'Only contacts can see my picture' }).isDisabled()).toBe(true);
    await page.locator('[data-testid=picture-input]').setInputFiles({ name: 'holiday.jpg', mimeType: 'image/jpeg', buffer: input });
    await page.getByTestId('picture-status').filter({ hasText: 'Profile published to 1 of 1 relay' }).waitFor({ timeout: 30_000 });

    const contactsView = (await page.locator('img[data-view=contacts]').getAttribute('src'))!;
    const strangersView = (await page.locator('img[data-view=strangers]').getAttribute('src'))!;
    expect(contactsView).toMatch(/^data:image\/jpeg;base64,/);
    const face = await browserPixels(page, contactsView);
    expect([face.width, face.height]).toEqual([256, 256]);
    // Only pixels were kept: no EXIF, text or other chunk, and no trace of the marker.
    const kept = await storedPrivate<{ exact: Uint8Array; small: Uint8Array }>(page, alice.identity.seed, 'faces.own');
    expect(pictureDataUrl(kept!.exact)).toBe(contactsView);
    for (const bytes of [Buffer.from(kept!.exact), Buffer.from(kept!.small)]) {
      expect(bytes.includes(Buffer.from(MARKER))).toBe(false);
      expect(bytes.includes(Buffer.from('Exif'))).toBe(false);
      expect(bytes.includes(Buffer.from('eXIf'))).toBe(false);
      expect(bytes.includes(Buffer.from('tEXt'))).toBe(false);
    }

    // The picture is the centre square of the input, resized: the same drawing done here independently.
    const reference = (await browserPixels(page, `data:image/jpeg;base64,${input.toString('base64')}`, 256)).data;
    // JPEG at quality 0.85 moves a channel by about one level on average on this
    // picture (flat areas, one disc): under 3 levels on average means the same picture,
    // while any other picture, or the noise, is tens of levels away.
    let total = 0;
    for (let i = 0; i < reference.length; i += 4) {
      total += Math.abs(reference[i] - face.data[i]) + Math.abs(reference[i + 1] - face.data[i + 1]) + Math.abs(reference[i + 2] - face.data[i + 2]);
    }
    expect(total / (reference.length * 0.75)).toBeLessThan(3);

    // What strangers see is 64×64 noise with the small picture's colours.
    const noise = pixels(strangersView);
    const small = pngToRgba(kept!.small);
    expect([noise.width, noise.height]).toEqual([64, 64]);
    expect(differingShare(noise.data, small.data)).toBeGreaterThan(0.5);
    expect(sortedPixels(noise.data)).toEqual(sortedPixels(small.data));

    // On the relay: the same noise, the salt in the fragment, a wrap for alice herself.
    const profile = await waitForAliceProfile((p) => typeof p['picture'] === 'string');
    const { salt } = readVisualFragment(profile['picture'] as string);
    expect(salt).toBeDefined();
    expect(pixels(profile['picture'] as string).data).toEqual(noise.data);
    expect(openVisualKey(alice.identity, alice.primary, salt!, profile['kez_visual_keys'])).toBeDefined();
    expect(openVisualKey(bob.identity, alice.primary, salt!, profile['kez_visual_keys'])).toBeUndefined();
    expect(Buffer.from(JSON.stringify(profile)).includes(Buffer.from(MARKER))).toBe(false);
    // The signed event fits what common relays take (strfry's default 64 KiB).
    expect(await aliceEventBytes()).toBeLessThanOrEqual(64 * 1024);
    // Both preview circles keep a visible edge, even for a picture white to its edge.
    await page.getByRole('heading', { name: 'Profile picture' }).scrollIntoViewIfNeeded();
    for (const view of ['contacts', 'strangers']) {
      const preview = page.locator(`img[data-view=${view}]`);
      expect({ view, edge: await whiteEdgeShows(page, preview, preview) }).toEqual({ view, edge: true });
    }
    await page.getByRole('heading', { name: 'Profile picture' }).scrollIntoViewIfNeeded();
    await screenshot(page, 'faces-stranger-preview');
  }, 90_000);

  it('refuses what is not a picture next to the buttons, turns transparency white, and of quick picks keeps the last', async () => {
    const page = alice.page;
    const drop = page.getByRole('group', { name: 'Your picture: drop or paste one here' });
    const picker = page.locator('[data-testid=picture-input]');
    const contactsView = page.locator('img[data-view=contacts]');
    const settled = () => page.getByText('Preparing and publishing…').waitFor({ state: 'detached', timeout: 60_000 });

    // The keyboard reaches the hidden file input, and its label shows the focus.
    await drop.focus();
    await page.keyboard.press('Tab');
    expect(await picker.evaluate((element) => element === document.activeElement)).toBe(true);
    expect(await page.locator('.pick').evaluate((label) => getComputedStyle(label).outlineStyle)).toBe('solid');

    // What cannot be used is said inside the picture area, where the person is looking; the picture stays.
    const before = await contactsView.getAttribute('src');
    await picker.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a picture') });
    await drop.getByRole('alert').filter({ hasText: 'That is not a picture' }).waitFor();
    // The last publish's line ("Profile published…") does not stay above the error, as if the bad file had been published.
    expect(await page.getByTestId('picture-status').count()).toBe(0);
    await page.getByRole('heading', { name: 'Profile picture' }).scrollIntoViewIfNeeded();
    await screenshot(page, 'faces-refused-file');
    // Text pasted on the page (not in a text field) is not silently ignored either.
    await page.evaluate(() => {
      (document.activeElement as HTMLElement | null)?.blur();
      const transfer = new DataTransfer();
      transfer.setData('text/plain', 'just some words');
      document.body.dispatchEvent(new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true }));
    });
    await drop.getByRole('alert').filter({ hasText: 'What you pasted is not a picture' }).waitFor();
    expect(await page.getByTestId('picture-status').count()).toBe(0);
    const corrupt = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(300, 7)]);
    await picker.setInputFiles({ name: 'broken.png', mimeType: 'image/png', buffer: corrupt });
    await drop.getByRole('alert').filter({ hasText: 'This picture could not be read' }).waitFor();
    expect(await contactsView.getAttribute('src')).toBe(before);

    // A transparent PNG: the see-through parts become white, not black.
    await picker.setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: await drawnImage(page, 64, 64, 'image/png', 'transparent') });
    await page.waitForFunction((src) => document.querySelector('img[data-view=contacts]')?.getAttribute('src') !== src, before);
    await settled();
    expect(await drop.getByRole('alert').count()).toBe(0);
    const transparent = await browserPixels(page, (await contactsView.getAttribute('src'))!);
    expectColourNear(pixelAt(transparent, 2, 2), [255, 255, 255, 255]);
    expectColourNear(pixelAt(transparent, 128, 128), [124, 58, 237, 255]);

    // A huge photo, then at once a tiny picture: the tiny one, picked last, is the picture.
    const huge = await drawnImage(page, 6000, 4000, 'image/jpeg', 'gradient');
    const tiny = await drawnImage(page, 20, 20, 'image/png', 'green');
    await picker.setInputFiles({ name: 'huge.jpg', mimeType: 'image/jpeg', buffer: huge });
    await picker.setInputFiles({ name: 'tiny.png', mimeType: 'image/png', buffer: tiny });
    await settled();
    const shownUrl = (await contactsView.getAttribute('src'))!;
    expectColourNear(pixelAt(await browserPixels(page, shownUrl), 128, 128), [22, 163, 74, 255]);
    const kept = await storedPrivate<{ exact: Uint8Array }>(page, alice.identity.seed, 'faces.own');
    expect(pictureDataUrl(kept!.exact)).toBe(shownUrl);
    await page.getByTestId('picture-status').filter({ hasText: 'Profile published' }).waitFor();

    // The holiday picture again, for the steps below (its noise must differ from it in most places).
    // The view before the pick is read first: preparing can finish before a later read.
    const tinyView = await contactsView.getAttribute('src');
    await picker.setInputFiles({ name: 'holiday.jpg', mimeType: 'image/jpeg', buffer: input });
    await page.waitForFunction((src) => document.querySelector('img[data-view=contacts]')?.getAttribute('src') !== src, tinyView);
    await settled();
  }, 120_000);

  it('bob, whom alice writes to, gets a wrap at the next publish and sees her face exactly', async () => {
    await backToChats(alice.page);
    await startChat(alice.page, `bob@${SERVER}`);
    await send(alice.page, 'bob', 'Hello Bob, can you see my face?');
    // Sent, or already Delivered: bob's client acknowledges at once.
    await bubble(alice.page, 'can you see my face')
      .getByRole('img', { name: /^(Sent|Delivered)$/ })
      .waitFor();
    // The batched publish adds bob's wrap.
    await waitForAliceProfile((p) => {
      const { salt } = readVisualFragment(p['picture'] as string);
      return salt !== undefined && openVisualKey(bob.identity, alice.primary, salt, p['kez_visual_keys']) !== undefined;
    });

    // Bob's list read her profile when her message came, before her wrap for him; it
    // reads it again seconds later, so her face shows without her thread opening.
    await waitForPictureFace(bob.page, alice.primary, 'nav');
    await conversationRow(bob.page, 'alice').click();
    await bob.page.getByRole('heading', { name: '@alice' }).waitFor();
    const seen = await waitForPictureFace(bob.page, alice.primary, '.head');
    await expectHeaderFits(bob.page, 'faces-thread-header');
    // Bob's face of alice is the very JPEG alice keeps (whose pixels match her input above).
    const own = await storedPrivate<{ exact: Uint8Array }>(alice.page, alice.identity.seed, 'faces.own');
    const original = pictureDataUrl(own!.exact);
    expect(seen).toBe(original);
    // Her face starts the run of her messages, and in bob's list.
    await waitForPictureFace(bob.page, alice.primary, 'kez-message-bubble');
    await send(bob.page, 'alice', 'Yes! Nice picture.');
    await waitForPictureFace(bob.page, alice.primary, 'nav');
    await screenshot(bob.page, 'faces-chat-list');

    await bob.page.getByRole('button', { name: 'Show @alice’s picture full screen' }).click();
    const zoom = bob.page.getByRole('dialog', { name: '@alice’s picture' });
    await zoom.waitFor();
    expect(await zoom.locator('img').getAttribute('src')).toBe(original);
    // Shown no larger than its 256 pixels (sharp), centred, at desktop and phone sizes.
    for (const size of [
      { width: 1280, height: 800 },
      { width: 360, height: 740 },
    ]) {
      await bob.page.setViewportSize(size);
      const box = (await zoom.locator('img').boundingBox())!;
      expect(box.width).toBeLessThanOrEqual(256);
      expect(box.width).toBeGreaterThanOrEqual(200);
      expect(Math.abs(box.x + box.width / 2 - size.width / 2)).toBeLessThanOrEqual(1);
      await screenshot(bob.page, `faces-zoom-${size.width}`);
    }
    await bob.page.setViewportSize({ width: 1280, height: 800 });
    const opener = bob.page.getByRole('button', { name: 'Show @alice’s picture full screen' });
    const focused = (locator: Locator) => locator.evaluate((element) => element === document.activeElement);
    // A modal: Tab and Shift+Tab stay on Close instead of reaching the thread behind.
    await bob.page.keyboard.press('Tab');
    expect(await focused(zoom.getByRole('button', { name: 'Close' }))).toBe(true);
    await bob.page.keyboard.press('Shift+Tab');
    expect(await focused(zoom.getByRole('button', { name: 'Close' }))).toBe(true);
    // Escape closes it and gives the focus back to the avatar that opened it; so does a click.
    await bob.page.keyboard.press('Escape');
    await zoom.waitFor({ state: 'detached' });
    expect(await focused(opener)).toBe(true);
    await opener.click();
    await zoom.locator('img').click();
    await zoom.waitFor({ state: 'detached' });
    expect(await focused(opener)).toBe(true);
  }, 120_000);

  it('carol, who only wrote to alice, sees noise: her screen shows alice’s identicon', async () => {
    await startChat(carol.page, `alice@${SERVER}`);
    await send(carol.page, 'alice', 'Hi Alice, I am a stranger.');
    await carol.page.getByRole('heading', { name: '@alice' }).waitFor();
    // The thread opening read alice's profile: the cached view (sealed on disk) is the noise, not a face.
    const cached = await waitForStoredPrivate<{ seen: { kind: string; url: string } }>(
      carol.page,
      carol.identity.seed,
      `faces.peer.${alice.primary}`,
      (face) => face.seen.kind === 'noise',
    );
    expect(await faceSrc(carol.page, alice.primary, '.head')).toMatch(/^data:image\/svg\+xml,/);
    // A face white to its edge (a logo's transparent parts come out white) keeps a visible circle.
    expect(await whiteFaceEdgeShows(carol.page, alice.primary, '.head')).toBe(true);
    const own = await storedPrivate<{ small: Uint8Array }>(alice.page, alice.identity.seed, 'faces.own');
    expect(differingShare(pixels(cached.seen.url).data, pngToRgba(own!.small).data)).toBeGreaterThan(0.5);
    // Alice received carol's message but never wrote back: carol has no wrap.
    await conversationRow(alice.page, 'carol').waitFor();
    const profile = await aliceProfile();
    const { salt } = readVisualFragment(profile!['picture'] as string);
    expect(openVisualKey(carol.identity, alice.primary, salt!, profile!['kez_visual_keys'])).toBeUndefined();
  }, 90_000);

  it('alice changes her picture by paste and by drop, and only after a warning shows it to everyone', async () => {
    const page = alice.page;
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.waitForURL('**/settings');
    const contactsView = page.locator('img[data-view=contacts]');
    const before = (await contactsView.getAttribute('src'))!;
    const pasted = await jpegWithExif(page, 300, 300, MARKER);
    const dropped = await jpegWithExif(page, 240, 400, MARKER);
    // Each step gives a picture that differs from the one before, so the view changes.
    const pastedOnSwitch = await jpegWithExif(page, 400, 240, MARKER);

    /** Pastes or drops the JPEG on `where` (focused first; the page itself when 'page'); true when the page took it (cancelled the event). */
    const give = (kind: 'paste' | 'drop', image: Buffer, where: string) =>
      page.evaluate(
        ([base64, eventKind, selector]) => {
          const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
          const transfer = new DataTransfer();
          transfer.items.add(new File([bytes], `face-${eventKind}.jpg`, { type: 'image/jpeg' }));
          (document.activeElement as HTMLElement | null)?.blur();
          const target = selector === 'page' ? document.body : (document.querySelector(selector) as HTMLElement);
          target.focus();
          const event =
            eventKind === 'paste'
              ? new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true })
              : new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true });
          return !target.dispatchEvent(event);
        },
        [image.toString('base64'), kind, where] as const,
      );
    // A text field on the page keeps its normal paste: the picture code leaves the event alone.
    expect(await give('paste', pasted, 'textarea, input[type=text], input[type=url], input:not([type])')).toBe(false);
    // A pasted image (Ctrl+V with nothing focused, or on the switch) and a dropped one replace the picture.
    for (const [kind, image, where] of [
      ['paste', pasted, 'page'],
      ['paste', pastedOnSwitch, 'kez-picture-setting input[role=switch]'],
      ['drop', dropped, '.drop'],
    ] as const) {
      const previous = (await contactsView.getAttribute('src'))!;
      expect(await give(kind, image, where)).toBe(true);
      await page.waitForFunction((src) => document.querySelector('img[data-view=contacts]')?.getAttribute('src') !== src, previous);
    }
    // Just outside the dashed zone, a file dragged over or dropped on the page does not make the browser open it (leaving the app);
    // dropped anywhere on the picture section, it is the picture.
    const pageTakes = (kind: 'dragover' | 'drop') =>
      page.evaluate((eventKind) => {
        const transfer = new DataTransfer();
        transfer.items.add(new File(['x'], 'far.txt', { type: 'text/plain' }));
        return !document.body.dispatchEvent(new DragEvent(eventKind, { dataTransfer: transfer, bubbles: true, cancelable: true }));
      }, kind);
    expect(await pageTakes('dragover')).toBe(true);
    expect(await pageTakes('drop')).toBe(true);
    await page.getByTestId('picture-status').filter({ hasText: 'Profile published' }).waitFor();
    const droppedBeside = await jpegWithExif(page, 320, 200, MARKER);
    const previous = (await contactsView.getAttribute('src'))!;
    expect(await give('drop', droppedBeside, 'kez-picture-setting input[role=switch]')).toBe(true);
    await page.waitForFunction((src) => document.querySelector('img[data-view=contacts]')?.getAttribute('src') !== src, previous);
    expect(await contactsView.getAttribute('src')).not.toBe(before);
    await page.getByTestId('picture-status').filter({ hasText: 'Profile published' }).waitFor();

    // Off asks first; keeping it for contacts changes nothing.
    const toggle = page.getByRole('switch', { name: 'Only contacts can see my picture' });
    await toggle.click();
    const warning = page.getByRole('alertdialog');
    await warning.getByText('Anyone who looks up your key').waitFor();
    expect(await toggle.isChecked()).toBe(true);
    // The two choices do not touch, side by side or wrapped: at least 8 px between them.
    for (const size of [
      { width: 1280, height: 800 },
      { width: 360, height: 740 },
    ]) {
      await page.setViewportSize(size);
      const [show, keepBox] = await Promise.all(
        ['Show it to everyone', 'Keep it for contacts'].map(async (name) => (await warning.getByRole('button', { name }).boundingBox())!),
      );
      const apart = Math.max(keepBox.x - (show.x + show.width), keepBox.y - (show.y + show.height));
      expect({ width: size.width, apart: apart >= 8 }).toEqual({ width: size.width, apart: true });
      await warning.scrollIntoViewIfNeeded();
      await screenshot(page, `faces-plain-warning-${size.width}`);
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    // The safe choice has the focus; after it the focus is back on the switch, not lost.
    const keep = warning.getByRole('button', { name: 'Keep it for contacts' });
    await page.waitForFunction(() => document.activeElement?.textContent?.trim() === 'Keep it for contacts');
    await page.keyboard.press('Enter');
    await warning.waitFor({ state: 'detached' });
    expect(await keep.count()).toBe(0);
    expect(await toggle.evaluate((element) => element === document.activeElement)).toBe(true);
    expect(await toggle.isChecked()).toBe(true);
    await toggle.click();
    await page.getByRole('button', { name: 'Show it to everyone' }).click();
    await page.waitForFunction(() => (document.querySelector('kez-picture-setting input[role=switch]') as HTMLInputElement).checked === false);
    const plain = await waitForAliceProfile((p) => typeof p['picture'] === 'string' && !p['picture'].includes('#') && p['kez_visual_keys'] === undefined);
    const own = await storedPrivate<{ exact: Uint8Array }>(page, alice.identity.seed, 'faces.own');
    expect(plain['picture']).toBe(pictureDataUrl(own!.exact));

    // Carol, a stranger, now sees the face when her thread opens again.
    await carol.page.getByRole('link', { name: 'Settings' }).click();
    await backToChats(carol.page);
    await conversationRow(carol.page, 'alice').click();
    expect(await waitForPictureFace(carol.page, alice.primary, '.head')).toBe(pictureDataUrl(own!.exact));

    await toggle.click();
    const scrambled = await waitForAliceProfile((p) => typeof p['picture'] === 'string' && p['picture'].includes('#kez-visual-v1:'));
    // A publish with wraps made well after carol's message came: still none for her, one for bob.
    const { salt } = readVisualFragment(scrambled['picture'] as string);
    expect({
      bob: openVisualKey(bob.identity, alice.primary, salt!, scrambled['kez_visual_keys']) !== undefined,
      carol: openVisualKey(carol.identity, alice.primary, salt!, scrambled['kez_visual_keys']) !== undefined,
    }).toEqual({ bob: true, carol: false });
  }, 120_000);

  it('a picture change the browser refuses to store ends, says why next to its control and keeps the focus there', async () => {
    const page = alice.page;
    const toggle = page.getByRole('switch', { name: 'Only contacts can see my picture' });
    const contactsView = page.locator('img[data-view=contacts]');
    const picture = (await contactsView.getAttribute('src'))!;
    /** The focused control's description, once the control whose text or name is `name` has the focus back. */
    const focusBackOn = async (name: string) => {
      await page.waitForFunction(
        (wanted) => {
          const element = document.activeElement;
          return element !== null && element !== document.body && (element.getAttribute('aria-label') ?? element.textContent?.trim()) === wanted;
        },
        name,
        { timeout: 20_000 },
      );
      return (await focusedField(page)).described;
    };
    const alertSaying = (text: string) => page.getByRole('alert').filter({ hasText: text });

    // "Show it to everyone", confirmed: the switch stays on, says why, and has the focus.
    await refuseWrites(page, true);
    await toggle.click();
    await page.getByRole('button', { name: 'Show it to everyone' }).click();
    const notPlain = alertSaying('Not shown to everyone');
    await notPlain.waitFor();
    expect(await notPlain.textContent()).toBe('Not shown to everyone (The quota has been exceeded): your picture stays for contacts only. Try again.');
    await page.waitForFunction(() => document.activeElement?.getAttribute('role') === 'switch');
    expect((await focusedField(page)).described).toContain('Not shown to everyone (The quota has been exceeded)');
    expect(await toggle.isChecked()).toBe(true);
    expect(await toggle.isEnabled()).toBe(true);
    await notPlain.scrollIntoViewIfNeeded();
    await screenshot(page, 'faces-plain-refused');

    // "Remove picture": the picture stays, the button is back and says why.
    await page.getByRole('button', { name: 'Remove picture' }).click();
    const notCleared = alertSaying('your picture is still set');
    await notCleared.waitFor();
    expect(await focusBackOn('Remove picture')).toBe('Not removed (The quota has been exceeded): your picture is still set. Try again.');
    expect(await contactsView.getAttribute('src')).toBe(picture);

    // Turning scrambling back on, refused: the switch shows off again and says why.
    await refuseWrites(page, false);
    await toggle.click();
    await page.getByRole('button', { name: 'Show it to everyone' }).click();
    await page.waitForFunction(() => (document.querySelector('kez-picture-setting input[role=switch]') as HTMLInputElement).checked === false);
    await refuseWrites(page, true);
    await toggle.click();
    const notScrambled = alertSaying('anyone on nostr can still see your picture');
    await notScrambled.waitFor();
    expect(await notScrambled.textContent()).toBe('Not changed (The quota has been exceeded): anyone on nostr can still see your picture. Try again.');
    expect(await toggle.isChecked()).toBe(false);
    await page.waitForFunction(() => document.activeElement?.getAttribute('role') === 'switch');
    expect((await focusedField(page)).described).toContain('Not changed (The quota has been exceeded)');
    await refuseWrites(page, false);
    await toggle.click();
    await page.getByRole('status').filter({ hasText: 'On: relays and strangers get coloured noise' }).waitFor();
    expect(await toggle.isChecked()).toBe(true);
    expect(await notScrambled.count()).toBe(0);

    // Removing bob, refused: he stays in the list, his row says why, and Remove keeps the focus.
    await page.getByRole('heading', { name: 'Who can see it' }).waitFor();
    await refuseWrites(page, true);
    await page.getByRole('button', { name: 'Remove @bob', exact: true }).click();
    const notRemoved = page.getByRole('listitem').filter({ hasText: '@bob' }).getByRole('alert');
    await notRemoved.waitFor();
    expect(await focusBackOn('Remove @bob')).toBe('Not removed (The quota has been exceeded): they can still see your picture. Try again.');
    expect(await page.getByRole('listitem').filter({ hasText: '@bob (removed)' }).count()).toBe(0);
    for (const size of [
      { width: 1280, height: 800 },
      { width: 360, height: 740 },
    ]) {
      await page.setViewportSize(size);
      await notRemoved.scrollIntoViewIfNeeded();
      await screenshot(page, `faces-circle-refused-${size.width}`);
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    await refuseWrites(page, false);
  }, 90_000);

  it('removing bob rotates the key: his next look shows the identicon', async () => {
    const page = alice.page;
    // Alice writes back to carol: two people hold the key, so bob's row moves in the list as he is removed and let back in.
    await backToChats(page);
    await conversationRow(page, 'carol').click();
    await send(page, 'carol', 'Hello Carol.');
    await openSettings(page);
    await page.getByRole('button', { name: 'Remove @carol', exact: true }).waitFor();
    await page.getByRole('heading', { name: 'Who can see it' }).waitFor();
    // By keyboard: Remove is replaced by "Let see again", which takes the focus (it must not fall to the page).
    await page.getByRole('button', { name: 'Remove @bob', exact: true }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('listitem').filter({ hasText: '@bob (removed)' }).waitFor();
    await page.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === 'Let see again: @bob', undefined, { timeout: 20_000 });
    // The second click of a double click lands on "Let see again", which took Remove's place: it is ignored.
    const letSee = page.getByRole('button', { name: 'Let see again: @bob', exact: true });
    await letSee.evaluate((button) => button.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, detail: 2 })));
    const profile = await waitForAliceProfile((p) => {
      const { salt } = readVisualFragment(p['picture'] as string);
      return (
        salt !== undefined &&
        openVisualKey(alice.identity, alice.primary, salt, p['kez_visual_keys']) !== undefined &&
        openVisualKey(bob.identity, alice.primary, salt, p['kez_visual_keys']) === undefined
      );
    });
    expect(profile['kez_visual_exact']).toEqual(expect.any(String));
    expect(await letSee.count()).toBe(1);
    // Bob opens the thread again: the profile is read anew, and he has no wrap.
    await bob.page.goto(bob.page.url());
    await bob.page.waitForURL(/\/unlock/);
    await bob.page.getByLabel('Passphrase').fill('bob keeps a secret face 5');
    await bob.page.getByRole('button', { name: 'Unlock' }).click();
    await bob.page.locator('.head kez-avatar img[src^="data:image/svg+xml"]').waitFor({ timeout: 30_000 });

    // "Let see again" refused by the browser: bob stays removed, his row says why, the button keeps the focus.
    await refuseWrites(page, true);
    await letSee.click();
    const notBack = page.getByRole('alert').filter({ hasText: 'Not let back in' });
    await notBack.waitFor();
    expect(await notBack.textContent()).toBe('Not let back in (The quota has been exceeded): they still see only noise. Try again.');
    await page.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === 'Let see again: @bob');
    expect((await focusedField(page)).described).toBe((await notBack.textContent())!.trim());
    await refuseWrites(page, false);

    // "Let see again" lists bob at once and wraps for him at the next batched publish; he need not write first.
    await letSee.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Remove @bob', exact: true }).waitFor();
    await page.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === 'Remove @bob', undefined, { timeout: 20_000 });
    await waitForAliceProfile((p) => {
      const { salt } = readVisualFragment(p['picture'] as string);
      return salt !== undefined && openVisualKey(bob.identity, alice.primary, salt, p['kez_visual_keys']) !== undefined;
    });
    // The publish that followed re-drew the list: bob's button still has the focus.
    await page.getByTestId('picture-status').filter({ hasText: 'Profile published' }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Remove @bob');
    await backToChats(page);
  }, 90_000);

  it('a fresh browser restored from alice’s phrase sees her own face', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
    try {
      const page = await context.newPage();
      await page.goto(url());
      await page.getByRole('link', { name: 'I have a recovery phrase' }).click();
      await page.getByLabel('Recovery phrase').fill(alice.phrase.join(' '));
      await page.getByRole('button', { name: 'Continue' }).click();
      await choosePassphrase(page, 'alice on a new laptop 42', 'Restore my identity');
      await page.waitForURL('**/chats', { timeout: 20_000 });
      expect(await myKez(page)).toBe(`alice@${SERVER}`);
      await setRelays(page, [relay.url]);
      const view = page.locator('img[data-view=contacts]');
      await view.waitFor({ timeout: 30_000 });
      const own = await storedPrivate<{ exact: Uint8Array }>(alice.page, alice.identity.seed, 'faces.own');
      expect(await view.getAttribute('src')).toBe(pictureDataUrl(own!.exact));
    } finally {
      await context.close();
    }
  }, 120_000);

  it('removing the picture by keyboard moves the focus to "Choose a picture…" and drops who can see it', async () => {
    const page = alice.page;
    await openSettings(page);
    await page.getByRole('heading', { name: 'Who can see it' }).waitFor();
    await page.getByRole('button', { name: 'Remove picture' }).focus();
    await page.keyboard.press('Enter');
    await page.locator('img[data-view=contacts]').waitFor({ state: 'detached' });
    // The button went away with the picture: the next control, the picker, has the focus.
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'picture-input', undefined, { timeout: 20_000 });
    expect(await page.getByRole('button', { name: 'Remove picture' }).count()).toBe(0);
    // With no picture there is no key to hold or to rotate: no list of who can see it.
    expect(await page.getByRole('heading', { name: 'Who can see it' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Remove @bob', exact: true }).count()).toBe(0);
    expect(await page.getByText('Removing someone gives your picture a new key').count()).toBe(0);
    await page.getByRole('heading', { name: 'Profile picture' }).scrollIntoViewIfNeeded();
    await screenshot(page, 'faces-no-picture');
  }, 60_000);
});

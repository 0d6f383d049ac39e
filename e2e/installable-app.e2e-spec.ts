import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { BrowserContext, Page } from 'playwright-core';

import { freePort } from '../server/test/support/free-port';
import { type ServerProcess, startServerProcess } from '../server/test/support/server-process';
import { screenshot } from './support/browser';
import { createAccount } from './support/kez-app';
import { installabilityErrors, launchProfile, waitForPrecache } from './support/service-worker';

// The app as an installable PWA, against the real built server and client: the
// service worker installs and precaches, Chromium's installability check passes, and
// with the server gone a reload still opens the app, which says it is offline.

describe('the installable app', () => {
  let port: number;
  let dataDir: string;
  /** A copy of the built client, so a test can "deploy" a new version of it. */
  let webDir: string;
  let server: ServerProcess;
  let context: BrowserContext;
  let page: Page;

  const url = () => `http://127.0.0.1:${port}`;
  const startServer = () =>
    startServerProcess({
      port,
      env: { KEZ_CHAT_DB: join(dataDir, 'kez.db'), KEZ_CHAT_VAPID_KEY_PATH: join(dataDir, 'vapid.pem'), KEZ_CHAT_WEB_DIR: webDir },
    });

  beforeAll(async () => {
    port = await freePort();
    dataDir = mkdtempSync(join(tmpdir(), 'kez-e2e-pwa-'));
    webDir = join(dataDir, 'web');
    cpSync(join(__dirname, '..', 'dist', 'client', 'browser'), webDir, { recursive: true });
    server = await startServer();
    context = await launchProfile();
    page = context.pages()[0] ?? (await context.newPage());
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await server?.stop();
  }, 30_000);

  it('installs the worker, precaches the app shell and passes the installability check', async () => {
    await createAccount(page, url(), 'carol', 'carol keeps owls 4');
    await waitForPrecache(page);
    expect(await installabilityErrors(page)).toEqual([]);

    const manifest = await page.evaluate(async () => (await fetch('/manifest.webmanifest')).json());
    expect(manifest).toMatchObject({ name: 'KEZ chat', short_name: 'KEZ', display: 'standalone', start_url: '/chats', id: '/' });
    const sizes = manifest.icons.map((icon: { sizes: string; purpose: string }) => `${icon.sizes} ${icon.purpose}`);
    expect(sizes).toEqual(expect.arrayContaining(['192x192 any', '512x512 any', '512x512 maskable']));
    for (const icon of manifest.icons as { src: string; type: string }[]) {
      const response = await page.request.get(`${url()}/${icon.src}`);
      expect([icon.src, response.status(), response.headers()['content-type']]).toEqual([icon.src, 200, icon.type]);
    }
  });

  it('never caches the API: /v1 answers come from the server', async () => {
    const cached = await page.evaluate(async () => {
      const hits: string[] = [];
      for (const name of await caches.keys()) {
        for (const request of await (await caches.open(name)).keys()) {
          if (new URL(request.url).pathname.startsWith('/v1/')) {
            hits.push(request.url);
          }
        }
      }
      return hits;
    });
    expect(cached).toEqual([]);
  });

  it('opens from the cache with the server stopped, says it is offline, and recovers', async () => {
    await server.stop();
    await page.reload();
    // The identity is locked after a reload: the unlock screen, served by the worker.
    await page.getByRole('heading', { name: 'Welcome back' }).waitFor();
    const offline = page.getByRole('status', { name: 'Offline' });
    await offline.waitFor();
    expect(await offline.textContent()).toContain('You’re offline.');
    await screenshot(page, 'offline');

    server = await startServer();
    await page.getByRole('button', { name: 'Try again' }).click();
    await offline.waitFor({ state: 'detached' });
  });

  it('takes the offline bar away by itself once the server is back, without "Try again"', async () => {
    await server.stop();
    await page.reload();
    const offline = page.getByRole('status', { name: 'Offline' });
    await offline.waitFor();
    server = await startServer();
    // No click, no browser event: a server back up is noticed by asking it again.
    await offline.waitFor({ state: 'detached', timeout: 30_000 });
  }, 60_000);

  it('offers a reload when a new version is deployed, and the reload brings it', async () => {
    // A new build: index.html changes, and ngsw.json lists its new hash (as `ng build` would).
    const indexPath = join(webDir, 'index.html');
    const index = readFileSync(indexPath, 'utf8').replace('<head>', '<head><meta name="kez-build" content="next" />');
    writeFileSync(indexPath, index);
    const manifestPath = join(webDir, 'ngsw.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { timestamp: number; hashTable: Record<string, string> };
    manifest.hashTable['/index.html'] = createHash('sha1').update(index).digest('hex');
    manifest.timestamp += 1;
    writeFileSync(manifestPath, JSON.stringify(manifest));

    // The worker looks for updates after navigations; the app says when one is ready.
    await page.reload();
    const ready = page.getByRole('status', { name: 'Update ready' });
    await ready.waitFor({ timeout: 90_000 });
    await screenshot(page, 'update-ready');
    await ready.getByRole('button', { name: 'Reload' }).click();
    await page.locator('meta[name="kez-build"]').waitFor({ state: 'attached' });
  }, 120_000);
});

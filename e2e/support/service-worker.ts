import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { type BrowserContext, chromium, type Page, type Worker } from 'playwright-core';

import { CHROMIUM_ARGS, CHROMIUM_PATH, requireChromium } from './browser';

// The service worker seen from a browser test: precache done, installability as
// Chromium judges it, pushes delivered over CDP, notifications read back.

const WAIT_MS = 30_000;

/** Resolves once the worker is active, controls `page` and has the app shell (index.html) in its cache. */
export async function waitForPrecache(page: Page): Promise<void> {
  await page.waitForFunction(
    async () => {
      const registration = await navigator.serviceWorker.getRegistration();
      if (registration?.active?.state !== 'activated' || !navigator.serviceWorker.controller) {
        return false;
      }
      for (const name of await caches.keys()) {
        if (name.includes('app-shell') && (await (await caches.open(name)).match('/index.html'))) {
          return true;
        }
      }
      return false;
    },
    undefined,
    { timeout: WAIT_MS, polling: 250 },
  );
}

/** Chromium's own installability check (CDP `Page.getInstallabilityErrors`): empty when the app can be installed. */
export async function installabilityErrors(page: Page): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { installabilityErrors: errors } = await cdp.send('Page.getInstallabilityErrors');
    return errors.map((error) => [error.errorId, ...error.errorArguments.map((arg) => `${arg.name}=${arg.value}`)].join(' '));
  } finally {
    await cdp.detach();
  }
}

/**
 * Delivers an empty push to the origin's worker (CDP `ServiceWorker.deliverPushMessage`),
 * as a push service would after the home server's VAPID request. `page` may be any page
 * of the context, e.g. about:blank, so that no window of the app is open.
 */
export async function deliverPush(page: Page, origin: string): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const registrationId = new Promise<string>((resolve) => {
      cdp.on(
        'ServiceWorker.workerRegistrationUpdated',
        ({ registrations }: { registrations: { registrationId: string; scopeURL: string; isDeleted: boolean }[] }) => {
          const found = registrations.find((registration) => registration.scopeURL.startsWith(origin) && !registration.isDeleted);
          if (found) {
            resolve(found.registrationId);
          }
        },
      );
    });
    await cdp.send('ServiceWorker.enable');
    const id = await withTimeout(registrationId, `a service worker registration for ${origin}`);
    await cdp.send('ServiceWorker.deliverPushMessage', { origin, registrationId: id, data: '' });
  } finally {
    await cdp.detach();
  }
}

/** The notifications the worker shows, read in a page of the app. */
export async function shownNotifications(page: Page): Promise<{ title: string; tag: string; body: string }[]> {
  return page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    return (await registration.getNotifications()).map((n) => ({ title: n.title, tag: n.tag, body: n.body }));
  });
}

/** Waits until the worker has shown at least one notification. */
export async function waitForNotification(page: Page): Promise<void> {
  await page.waitForFunction(async () => (await (await navigator.serviceWorker.ready).getNotifications()).length > 0, undefined, {
    timeout: WAIT_MS,
    polling: 250,
  });
}

/** The app's service worker in this context, as Playwright sees it. */
export async function appWorker(context: BrowserContext): Promise<Worker> {
  const found = context
    .serviceWorkers()
    .filter((worker) => worker.url().endsWith('/kez-worker.js'))
    .at(-1);
  return found ?? context.waitForEvent('serviceworker', { predicate: (worker) => worker.url().endsWith('/kez-worker.js'), timeout: WAIT_MS });
}

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), WAIT_MS))]);
}

/**
 * A browser with a real (non-incognito) profile in a fresh temp folder: Chromium
 * refuses to install apps from incognito profiles, which `browser.newContext()` makes.
 */
export async function launchProfile(options: { viewport?: { width: number; height: number } } = {}): Promise<BrowserContext> {
  requireChromium();
  const profile = mkdtempSync(join(tmpdir(), 'kez-e2e-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    viewport: options.viewport ?? { width: 1280, height: 800 },
    locale: 'en-GB',
  });
  // Chromium may still be writing into the profile as the context closes: retry, and never fail a test over cleanup.
  context.on('close', () => {
    try {
      rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    } catch {
      // a leftover temp folder is harmless
    }
  });
  return context;
}

import { type BrowserPushSubscription, type PushBrowser, PushError } from './web-push';

/** How long to wait for the service worker before saying push cannot work here. */
const WORKER_WAIT_MS = 30_000;

/** PushBrowser on the real Notification and PushManager APIs of this page's service worker. */
export class BrowserPush implements PushBrowser {
  readonly supported =
    typeof navigator !== 'undefined' && 'serviceWorker' in navigator && typeof PushManager !== 'undefined' && typeof Notification !== 'undefined';

  permission(): NotificationPermission {
    return this.supported ? Notification.permission : 'default';
  }

  requestPermission(): Promise<NotificationPermission> {
    return Notification.requestPermission();
  }

  async current(): Promise<BrowserPushSubscription | null> {
    const registration = await navigator.serviceWorker.getRegistration();
    return registration ? registration.pushManager.getSubscription() : null;
  }

  async subscribe(applicationServerKey: Uint8Array): Promise<BrowserPushSubscription> {
    const registration = await this.registration();
    return registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: applicationServerKey as BufferSource });
  }

  /** The worker's registration; it registers a few seconds after start, so a very early click waits for it. */
  private registration(): Promise<ServiceWorkerRegistration> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(new PushError('unsupported', 'The app’s service worker is not running, so this browser cannot receive notifications. Reload and try again.')),
        WORKER_WAIT_MS,
      );
      void navigator.serviceWorker.ready.then((registration) => {
        clearTimeout(timer);
        resolve(registration);
      });
    });
  }
}

import { InjectionToken } from '@angular/core';

import { HomeApi } from './api/home-api';
import type { HomeServer } from './api/home-server';
import { IndexedDbStore } from './storage/indexeddb-store';
import type { Store } from './storage/store';
import type { EventSourceFactory } from './transport/inbox-stream';

// The browser's parts behind tokens, so the services above them stay testable and
// the framework-free core never touches a global.

/** IndexedDB, opened once per page. */
export const STORE = new InjectionToken<Promise<Store>>('KEZ store', {
  providedIn: 'root',
  factory: () => IndexedDbStore.open(),
});

/** The home server that served this page. */
export const HOME_SERVER = new InjectionToken<HomeServer>('KEZ home server', {
  providedIn: 'root',
  factory: () => new HomeApi((url, init) => fetch(url, init)),
});

export const EVENT_SOURCE = new InjectionToken<EventSourceFactory>('KEZ event source', {
  providedIn: 'root',
  factory: () => (url: string) => new EventSource(url),
});

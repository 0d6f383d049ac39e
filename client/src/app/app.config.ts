import { type ApplicationConfig, inject, isDevMode, provideBrowserGlobalErrorListeners, provideZonelessChangeDetection } from '@angular/core';
import {
  PreloadAllModules,
  provideRouter,
  withComponentInputBinding,
  withInMemoryScrolling,
  withNavigationErrorHandler,
  withPreloading,
} from '@angular/router';
import { provideServiceWorker } from '@angular/service-worker';

import { routes } from './app.routes';
import { NavigationProblem } from './core/navigation-problem';

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideZonelessChangeDetection(),
    provideRouter(
      routes,
      withComponentInputBinding(),
      // anchorScrolling: a link to `/settings#relays` shows that section, not the top of the page.
      withInMemoryScrolling({ scrollPositionRestoration: 'enabled', anchorScrolling: 'enabled' }),
      // Every screen is fetched once the first has painted, so an outage later does not leave links dead;
      // a screen that still cannot be loaded is reported, not ignored.
      withPreloading(PreloadAllModules),
      withNavigationErrorHandler(() => inject(NavigationProblem).report()),
    ),
    // The project's worker imports Angular's (ngsw-worker.js) and adds push handling:
    // see client/public/kez-worker.js. Registered once the app is stable, so it never
    // competes with the first screen for the network.
    provideServiceWorker('kez-worker.js', { enabled: !isDevMode(), registrationStrategy: 'registerWhenStable:5000' }),
  ],
};

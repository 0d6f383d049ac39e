import { inject, Injectable, signal } from '@angular/core';
import { NavigationEnd, Router } from '@angular/router';

/**
 * A navigation that failed, in words, until the next one succeeds. Screens load
 * lazily from the server; when it cannot be reached, clicking a link must say so
 * rather than do nothing (the router's error handler reports here, app.html shows it).
 */
@Injectable({ providedIn: 'root' })
export class NavigationProblem {
  private readonly messageSignal = signal<string | null>(null);
  readonly message = this.messageSignal.asReadonly();

  constructor() {
    inject(Router).events.subscribe((event) => {
      if (event instanceof NavigationEnd) {
        this.messageSignal.set(null);
      }
    });
  }

  /** Called by the router for any navigation that threw (most often a screen that could not be downloaded). */
  report(): void {
    this.messageSignal.set('This screen could not be opened: the server can’t be reached. Check your connection and try again.');
  }

  dismiss(): void {
    this.messageSignal.set(null);
  }
}

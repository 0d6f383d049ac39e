import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import { computed, inject, Injectable, signal } from '@angular/core';
import { catchError, forkJoin, map, type Observable, of, type Subscription } from 'rxjs';

import { type HttpOutcome, type ServerReport, toServerReport } from './health';

/** How long one health request may take before the server counts as unreachable. */
const REQUEST_TIMEOUT_MS = 10_000;

/** What the home server that serves this app says about itself: name, version, health. */
@Injectable({ providedIn: 'root' })
export class ServerStatus {
  private readonly http = inject(HttpClient);

  private readonly reportState = signal<ServerReport | null>(null);
  private readonly checkingState = signal(false);
  private pending: Subscription | null = null;

  /** The last complete answer; null until the first check ends. */
  readonly report = this.reportState.asReadonly();
  /** True while a check is under way (the last report stays visible meanwhile). */
  readonly checking = this.checkingState.asReadonly();
  readonly health = computed(() => this.reportState()?.health ?? null);
  readonly serverName = computed(() => this.reportState()?.server ?? null);
  readonly version = computed(() => this.reportState()?.version ?? null);

  constructor() {
    this.refresh();
  }

  /** Asks `/v1/healthz` and `/v1/readyz` again; a check still under way is dropped. */
  refresh(): void {
    this.pending?.unsubscribe();
    this.checkingState.set(true);
    this.pending = forkJoin([this.outcome('/v1/healthz'), this.outcome('/v1/readyz')]).subscribe(
      ([healthz, readyz]) => {
        this.reportState.set(toServerReport(healthz, readyz));
        this.checkingState.set(false);
        this.pending = null;
      },
    );
  }

  /** One GET that always completes with its status and body, never with an error. */
  private outcome(url: string): Observable<HttpOutcome> {
    const options = {
      observe: 'response',
      headers: { Accept: 'application/json' },
      cache: 'no-store',
      timeout: REQUEST_TIMEOUT_MS,
    } as const;
    return this.http.get<unknown>(url, options).pipe(
      map((response): HttpOutcome => ({ status: response.status, body: response.body })),
      catchError((error: unknown) =>
        of<HttpOutcome>(
          error instanceof HttpErrorResponse ? { status: error.status, body: error.error } : { status: 0, body: null },
        ),
      ),
    );
  }
}

import { ChangeDetectionStrategy, Component, type ElementRef, inject, viewChild } from '@angular/core';
import { RouterLink, RouterOutlet } from '@angular/router';

import { ServerStatus } from './core/server-status';

@Component({
  selector: 'kez-root',
  imports: [RouterLink, RouterOutlet],
  templateUrl: './app.html',
  styleUrl: './app.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class App {
  protected readonly serverName = inject(ServerStatus).serverName;

  private readonly main = viewChild.required<ElementRef<HTMLElement>>('main');

  /** A plain `href="#main"` would resolve against `<base href="/">` and leave the current page. */
  protected skipToMain(event: Event): void {
    event.preventDefault();
    this.main().nativeElement.focus();
  }
}

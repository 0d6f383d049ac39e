import { ChangeDetectionStrategy, Component, DOCUMENT, inject } from '@angular/core';
import { RouterOutlet } from '@angular/router';

import { NavigationProblem } from './core/navigation-problem';
import { Tabs } from './core/tabs/tabs';
import { AppStatus } from './features/app-status/app-status';
import { KeepNoticeBar } from './features/app-status/keep-notice';

@Component({
  selector: 'kez-root',
  imports: [AppStatus, KeepNoticeBar, RouterOutlet],
  templateUrl: './app.html',
  styleUrl: './app.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class App {
  private readonly document = inject(DOCUMENT);
  private readonly navigation = inject(NavigationProblem);
  protected readonly navigationProblem = this.navigation.message;

  protected dismissProblem(): void {
    this.navigation.dismiss();
  }

  constructor() {
    // Lock and forget reach every tab of this browser.
    inject(Tabs);
  }

  /**
   * Every layout names its main region `#main`. A plain `href="#main"` would resolve
   * against `<base href="/">` and leave the current page.
   */
  protected skipToMain(event: Event): void {
    event.preventDefault();
    this.document.getElementById('main')?.focus();
  }
}

import { ChangeDetectionStrategy, Component, DOCUMENT, inject } from '@angular/core';
import { RouterOutlet } from '@angular/router';

import { NavigationProblem } from './core/navigation-problem';

@Component({
  selector: 'kez-root',
  imports: [RouterOutlet],
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

  /**
   * Every layout names its main region `#main`. A plain `href="#main"` would resolve
   * against `<base href="/">` and leave the current page.
   */
  protected skipToMain(event: Event): void {
    event.preventDefault();
    this.document.getElementById('main')?.focus();
  }
}

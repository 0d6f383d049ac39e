import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { RouterLink, RouterOutlet } from '@angular/router';

import { ServerStatus } from '../../core/server-status';
import { BrandMark } from '../brand-mark';

/** The frame of the pages before the chat: header with the brand and server, footer. */
@Component({
  selector: 'kez-page-frame',
  imports: [BrandMark, RouterLink, RouterOutlet],
  templateUrl: './page-frame.html',
  styleUrl: './page-frame.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PageFrame {
  protected readonly serverName = inject(ServerStatus).serverName;
}

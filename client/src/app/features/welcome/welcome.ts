import { ChangeDetectionStrategy, Component } from '@angular/core';

import { ServerStatusCard } from './server-status-card';

@Component({
  selector: 'kez-welcome',
  imports: [ServerStatusCard],
  templateUrl: './welcome.html',
  styleUrl: './welcome.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Welcome {}

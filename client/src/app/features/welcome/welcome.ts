import { ChangeDetectionStrategy, Component } from '@angular/core';
import { RouterLink } from '@angular/router';

import { ServerStatusCard } from './server-status-card';

@Component({
  selector: 'kez-welcome',
  imports: [RouterLink, ServerStatusCard],
  templateUrl: './welcome.html',
  styleUrl: './welcome.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Welcome {}

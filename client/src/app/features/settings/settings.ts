import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { Router, RouterLink } from '@angular/router';

import { npubEncode } from 'nostr-tools/nip19';

import { Account } from '../../core/account';
import { keyFingerprint } from '../../core/identity/fingerprint';
import { FocusOnInit } from '../../shared/focus-on-init';
import { MyKez } from '../chat/my-kez';
import { DeviceSession } from './device-session';
import { ForgetDevice } from './forget-device';
import { NotificationSetting } from './notification-setting';
import { PasskeySetting } from './passkey-setting';
import { PictureSetting } from './picture-setting';
import { RelaySetting } from './relay-setting';
import { RevealPhrase } from './reveal-phrase';

/**
 * `/settings`: your KEZ, your keys (primary, nostr npub, a fingerprint to read aloud),
 * notifications, this device's session, the recovery phrase, lock, forget this device.
 */
@Component({
  selector: 'kez-settings',
  imports: [DeviceSession, FocusOnInit, ForgetDevice, MyKez, NotificationSetting, PasskeySetting, PictureSetting, RelaySetting, RevealPhrase, RouterLink],
  templateUrl: './settings.html',
  styleUrl: './settings.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Settings {
  private readonly account = inject(Account);
  private readonly router = inject(Router);

  protected readonly keys = computed(() => {
    const identity = this.account.identity();
    return identity === null ? null : { primary: identity.primary, npub: npubEncode(identity.addr), fingerprint: keyFingerprint(identity.edPublic) };
  });

  /** The identity was locked from "This device": its passphrase is asked for next. */
  protected async locked(): Promise<void> {
    await this.router.navigateByUrl('/unlock');
  }
}

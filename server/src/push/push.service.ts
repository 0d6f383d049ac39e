import { Injectable, Logger } from '@nestjs/common';

import { authString } from '@kez/crypto';

import { KezAuth } from '../auth/kez-auth.service';
import { ApiError } from '../common/errors/api-error';
import { logEndpoint, logHandle } from '../common/logging/log-privacy';
import { AppConfig } from '../config/app-config';
import { assertEndpointForm, assertResolvesPublicly, parseEndpoint, UnsafeEndpoint } from './push-endpoint';
import type { PushSubscribeDto } from './push.dto';
import { pushKeysProblem } from './push-keys';
import { PushSubscriptionStore } from './push-subscription-store';

/** The subscription endpoints: each acts for a handle, with X-KEZ-Auth bound to the endpoint URL. */
@Injectable()
export class PushService {
  private readonly logger = new Logger(PushService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly auth: KezAuth,
    private readonly store: PushSubscriptionStore,
  ) {}

  async subscribe(handleParam: string, authValue: string | undefined, body: PushSubscribeDto): Promise<'created' | 'updated'> {
    const { handle } = await this.auth.authorize(handleParam, authValue, (h) => (ts) => authString.pushSubscribe(h, body.endpoint, ts));
    const problem = pushKeysProblem(body.keys);
    if (problem) {
      throw new ApiError('invalid_key', problem);
    }
    await this.assertSafeEndpoint(body.endpoint);
    const result = await this.store.save(handle, body.endpoint, body.keys, this.config.pushMaxSubscriptions);
    this.logger.log(`push subscription ${logEndpoint(body.endpoint)} ${result} for ${logHandle(handle)}`);
    return result;
  }

  /** Idempotent: an endpoint that is not there is already unsubscribed. */
  async unsubscribe(handleParam: string, authValue: string | undefined, endpoint: string): Promise<void> {
    const { handle } = await this.auth.authorize(handleParam, authValue, (h) => (ts) => authString.pushUnsubscribe(h, endpoint, ts));
    refuseUnsafe(() => assertEndpointForm(endpoint));
    await this.store.remove(handle, endpoint);
  }

  async isSubscribed(handleParam: string, authValue: string | undefined, endpoint: string): Promise<boolean> {
    const { handle } = await this.auth.authorize(handleParam, authValue, (h) => (ts) => authString.pushCheck(h, endpoint, ts));
    refuseUnsafe(() => assertEndpointForm(endpoint));
    return this.store.exists(handle, endpoint);
  }

  /** Refuses endpoints that would make this server call into a private network. */
  private async assertSafeEndpoint(endpoint: string): Promise<void> {
    try {
      const url = parseEndpoint(endpoint, this.config.pushAllowInsecure);
      if (!this.config.pushAllowInsecure) {
        await assertResolvesPublicly(url);
      }
    } catch (error) {
      if (error instanceof UnsafeEndpoint) {
        throw new ApiError('bad_request', error.message);
      }
      throw error;
    }
  }
}

/** Runs an endpoint check, answering its UnsafeEndpoint as 400 bad_request. */
function refuseUnsafe(check: () => void): void {
  try {
    check();
  } catch (error) {
    if (error instanceof UnsafeEndpoint) {
      throw new ApiError('bad_request', error.message);
    }
    throw error;
  }
}

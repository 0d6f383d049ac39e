import http from 'node:http';
import https from 'node:https';

import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import webpush from 'web-push';

import { AppConfig } from '../config/app-config';
import type { SendOutcome } from './delivery-policy';
import { hostOf, parseEndpoint, publicOnlyLookup, UnsafeEndpoint } from './push-endpoint';
import { VapidKeys } from './vapid-keys';

/** Most sends at once per instance (the contract's bound); the fanout queue keeps to it too. */
export const PUSH_CONCURRENCY = 32;
/** Bytes of a push service's answer kept for the log (Apple and Google explain rejections in the body). */
const REASON_BYTES = 200;
/** Bytes of an answer read before the connection is cut: a push service has nothing long to say. */
const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * Sends one empty push (RFC 8030) with a VAPID authorization (RFC 8292).
 * web-push builds the request (the signed JWT, `TTL`, `Urgency`); the request
 * itself is made here because web-push's own sender reads answers of any size
 * and cannot check where a connection goes: here every connection resolves
 * through publicOnlyLookup (DNS rebinding), answers are capped, and the timeout
 * covers the whole exchange, not just socket idleness.
 */
@Injectable()
export class PushSender implements OnModuleDestroy {
  private readonly lookup;
  private readonly httpsAgent: https.Agent;
  private readonly httpAgent: http.Agent;

  constructor(
    private readonly config: AppConfig,
    private readonly vapid: VapidKeys,
  ) {
    // With insecure endpoints allowed (tests), the system resolver is used as is.
    this.lookup = config.pushAllowInsecure ? undefined : publicOnlyLookup();
    const agentOptions = { keepAlive: true, maxSockets: PUSH_CONCURRENCY, lookup: this.lookup };
    this.httpsAgent = new https.Agent(agentOptions);
    this.httpAgent = new http.Agent(agentOptions);
  }

  async send(endpoint: string): Promise<SendOutcome> {
    let url: URL;
    try {
      url = parseEndpoint(endpoint, this.config.pushAllowInsecure);
    } catch (error) {
      return { kind: 'refused', reason: error instanceof UnsafeEndpoint ? error.message : String(error) };
    }
    const details = webpush.generateRequestDetails({ endpoint, keys: { p256dh: '', auth: '' } }, null, {
      vapidDetails: { subject: this.vapid.subject, publicKey: this.vapid.publicKey, privateKey: this.vapid.privateKey },
      // web-push's default TTL is four weeks; a wake-up for a chat message is worthless long before that.
      TTL: Math.floor(this.config.pushTtlMs / 1000),
      urgency: 'high',
    });
    return this.post(url, details.headers, this.config.pushTimeoutMs);
  }

  onModuleDestroy(): void {
    this.httpsAgent.destroy();
    this.httpAgent.destroy();
  }

  private post(url: URL, headers: Record<string, string | number>, timeoutMs: number): Promise<SendOutcome> {
    const secure = url.protocol === 'https:';
    return new Promise((resolve) => {
      let settled = false;
      const settle = (outcome: SendOutcome) => {
        if (!settled) {
          settled = true;
          clearTimeout(timer);
          resolve(outcome);
        }
      };
      const request = (secure ? https : http).request(
        {
          method: 'POST',
          hostname: hostOf(url),
          port: url.port || undefined,
          path: `${url.pathname}${url.search}`,
          headers,
          agent: secure ? this.httpsAgent : this.httpAgent,
        },
        (response) => {
          let reason = '';
          let received = 0;
          response.on('data', (chunk: Buffer) => {
            received += chunk.length;
            if (reason.length < REASON_BYTES) {
              reason += chunk.toString('utf8', 0, REASON_BYTES - reason.length);
            }
            if (received > MAX_RESPONSE_BYTES) {
              response.destroy();
            }
          });
          const done = () =>
            settle({
              kind: 'response',
              status: response.statusCode ?? 0,
              retryAfter: headerValue(response.headers['retry-after']),
              reason: reason.replace(/\s+/g, ' ').trim() || undefined,
            });
          response.on('end', done);
          response.on('close', done);
        },
      );
      const timer = setTimeout(() => {
        settle({ kind: 'timeout' });
        request.destroy();
      }, timeoutMs);
      request.on('error', (error) => {
        settle(error instanceof UnsafeEndpoint ? { kind: 'refused', reason: error.message } : { kind: 'network', error: error.message });
      });
      request.end();
    });
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

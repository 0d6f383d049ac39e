import { Controller, Get, Headers, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';

import { appVersion } from '../common/project-root';
import { AppConfig } from '../config/app-config';
import { MAX_EVENT_BYTES, MAX_FUTURE_SECONDS } from './inbox-policy';
import { MAX_FILTERS, MAX_SUBSCRIPTION_ID, MAX_TAGS } from './message-shape';
import { MAX_FILTER_LIMIT } from './relay-event-store';
import { MAX_FRAME_BYTES, MAX_SUBSCRIPTIONS } from './relay.gateway';

/**
 * NIP-11: `GET /relay` with `Accept: application/nostr+json` describes the
 * inbox relay (name, NIPs, limits); any other GET gets a short plain-text note,
 * since a browser landing there is a person, not a client. The WebSocket itself
 * is the gateway's (HTTP upgrades never reach this controller).
 */
@Controller('relay')
export class RelayInfoController {
  constructor(private readonly config: AppConfig) {}

  @Get()
  info(@Headers('accept') accept: string | undefined, @Res() reply: FastifyReply): void {
    reply.header('Access-Control-Allow-Origin', '*').header('Access-Control-Allow-Headers', '*').header('Access-Control-Allow-Methods', 'GET');
    reply.header('Vary', 'Accept');
    if ((accept ?? '').toLowerCase().includes('application/nostr+json')) {
      reply.header('Content-Type', 'application/nostr+json').send(JSON.stringify(this.document()));
      return;
    }
    reply
      .header('Content-Type', 'text/plain; charset=utf-8')
      .send(`This is the nostr inbox relay of ${this.config.server} users. Connect a nostr client to this URL over WebSocket.\n`);
  }

  /** The NIP-11 relay information document. */
  document(): Record<string, unknown> {
    return {
      name: `${this.config.server} inbox`,
      description:
        `Private NIP-17 inbox relay of ${this.config.server}: takes gift wraps and KEZ DMs for its users and serves them ` +
        'only to their recipient after NIP-42 AUTH, and wakes the recipient with Web Push. ' +
        `Events, profiles with their picture included, are at most ${MAX_EVENT_BYTES} bytes as JSON.`,
      supported_nips: [1, 9, 11, 17, 40, 42, 59],
      software: 'kez-chat',
      version: appVersion,
      limitation: {
        max_message_length: MAX_FRAME_BYTES,
        // The content cannot be longer than the whole event may be.
        max_content_length: MAX_EVENT_BYTES,
        max_subscriptions: MAX_SUBSCRIPTIONS,
        max_filters: MAX_FILTERS,
        max_limit: MAX_FILTER_LIMIT,
        max_subid_length: MAX_SUBSCRIPTION_ID,
        max_event_tags: MAX_TAGS,
        auth_required: false,
        payment_required: false,
        restricted_writes: true,
        created_at_upper_limit: MAX_FUTURE_SECONDS,
      },
      retention: [{ time: Math.floor(this.config.retentionMs / 1000) }],
    };
  }
}

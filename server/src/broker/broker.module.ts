import { Module } from '@nestjs/common';

import { NatsClient } from '../nats/nats-client';
import { Broker } from './broker';
import { ClusterPresence } from './cluster-presence';
import { LocalBroker } from './local-broker';
import { NatsBroker } from './nats-broker';
import { StreamPresence } from './stream-presence';

/**
 * Live fanout of new messages: in-process, or across instances over NATS when
 * `KEZ_CHAT_NATS_URL` is set, behind the same `Broker` token either way.
 */
@Module({
  providers: [
    LocalBroker,
    // With NATS, streams here are still served by the local broker, and other instances over NATS.
    {
      provide: Broker,
      useFactory: (nats: NatsClient, local: LocalBroker, presence: ClusterPresence) => (nats.enabled ? new NatsBroker(nats, local, presence) : local),
      inject: [NatsClient, LocalBroker, ClusterPresence],
    },
    ClusterPresence,
    StreamPresence,
  ],
  exports: [Broker, StreamPresence, ClusterPresence],
})
export class BrokerModule {}

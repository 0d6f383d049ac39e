import { join } from 'node:path';

import { MAX_BODY_BYTES, STREAM_KEEPALIVE_SECONDS } from '@kez/protocol';

import { projectRoot } from '../common/project-root';
import type { AppConfig } from './app-config';
import {
  parseBind,
  parseCidrList,
  parseDatabase,
  parseLogFormat,
  parseLogLevel,
  parseNonEmpty,
  parsePositiveInt,
  parseRate,
  parseServerName,
  type Parser,
  parseBoolean,
  parseDuration,
  parseRelayList,
  parseVapidSubject,
  parseByteSize,
  withinRange,
} from './parsers';
import { parseInstanceId, parseNatsUrls } from './cluster-parsers';
import { parsePublicUrl } from './relay-parsers';

/**
 * One row per setting: its environment variable, its `--flag`, its default and
 * its parser. The README's configuration table mirrors this list.
 */
export interface Setting<K extends keyof AppConfig = keyof AppConfig> {
  key: K;
  env: string;
  flag: string;
  default: string;
  parse: Parser<AppConfig[K]>;
}

function setting<K extends keyof AppConfig>(row: Setting<K>): Setting<K> {
  return row;
}

export const SETTINGS: readonly Setting[] = [
  setting({ key: 'bind', env: 'KEZ_CHAT_BIND', flag: '--bind', default: '127.0.0.1:6969', parse: parseBind }),
  setting({ key: 'server', env: 'KEZ_CHAT_SERVER', flag: '--server', default: 'localhost', parse: parseServerName }),
  setting({ key: 'db', env: 'KEZ_CHAT_DB', flag: '--db', default: 'data/kez-chat.db', parse: parseDatabase }),
  setting({
    key: 'dbConnectAttempts',
    env: 'KEZ_CHAT_DB_CONNECT_ATTEMPTS',
    flag: '--db-connect-attempts',
    default: '10',
    parse: parsePositiveInt,
  }),
  setting({
    key: 'webDir',
    env: 'KEZ_CHAT_WEB_DIR',
    flag: '--web-dir',
    default: join(projectRoot, 'dist', 'client', 'browser'),
    parse: parseNonEmpty,
  }),
  setting({ key: 'logLevel', env: 'LOG_LEVEL', flag: '--log-level', default: 'info', parse: parseLogLevel }),
  setting({ key: 'logFormat', env: 'LOG_FORMAT', flag: '--log-format', default: 'text', parse: parseLogFormat }),
  setting({ key: 'vapidKeyPath', env: 'KEZ_CHAT_VAPID_KEY_PATH', flag: '--vapid-key-path', default: '', parse: (raw) => raw.trim() }),
  setting({ key: 'vapidSubject', env: 'KEZ_CHAT_VAPID_SUBJECT', flag: '--vapid-subject', default: '', parse: parseVapidSubject }),
  setting({ key: 'vapidStrict', env: 'KEZ_CHAT_VAPID_STRICT', flag: '--vapid-strict', default: 'false', parse: parseBoolean }),
  setting({
    key: 'pushAllowInsecure',
    env: 'KEZ_CHAT_PUSH_ALLOW_INSECURE',
    flag: '--push-allow-insecure',
    default: 'false',
    parse: parseBoolean,
  }),
  setting({
    key: 'pushMaxSubscriptions',
    env: 'KEZ_CHAT_PUSH_MAX_SUBSCRIPTIONS',
    flag: '--push-max-subscriptions',
    default: '10',
    parse: parsePositiveInt,
  }),
  setting({ key: 'pushTtlMs', env: 'KEZ_CHAT_PUSH_TTL', flag: '--push-ttl', default: '24h', parse: parseDuration }),
  setting({ key: 'pushTimeoutMs', env: 'KEZ_CHAT_PUSH_TIMEOUT', flag: '--push-timeout', default: '10s', parse: parseDuration }),
  setting({
    key: 'relays',
    env: 'KEZ_CHAT_RELAYS',
    flag: '--relays',
    default: 'wss://relay.damus.io,wss://nos.lol,wss://relay.nostr.band',
    parse: parseRelayList,
  }),
  setting({ key: 'nostrRefreshMs', env: 'KEZ_CHAT_NOSTR_REFRESH', flag: '--nostr-refresh', default: '30s', parse: parseDuration }),
  setting({ key: 'rateMessages', env: 'KEZ_CHAT_RATE_MESSAGES', flag: '--rate-messages', default: '60/min', parse: parseRate }),
  setting({ key: 'rateRegister', env: 'KEZ_CHAT_RATE_REGISTER', flag: '--rate-register', default: '30/hour', parse: parseRate }),
  setting({ key: 'trustProxy', env: 'KEZ_CHAT_TRUST_PROXY', flag: '--trust-proxy', default: '', parse: parseCidrList }),
  setting({ key: 'natsUrls', env: 'KEZ_CHAT_NATS_URL', flag: '--nats-url', default: '', parse: parseNatsUrls }),
  setting({ key: 'instanceId', env: 'KEZ_CHAT_INSTANCE_ID', flag: '--instance-id', default: '', parse: parseInstanceId }),
  setting({
    key: 'streamKeepaliveMs',
    env: 'KEZ_CHAT_STREAM_KEEPALIVE',
    flag: '--stream-keepalive',
    default: '15s',
    parse: withinRange(parseDuration, 50, STREAM_KEEPALIVE_SECONDS * 1000, `between 50ms and ${STREAM_KEEPALIVE_SECONDS}s`),
  }),
  setting({
    key: 'streamMaxQueueBytes',
    env: 'KEZ_CHAT_STREAM_MAX_QUEUE',
    flag: '--stream-max-queue',
    default: '1mb',
    // At least two of the largest events, so one big message never closes a stream that keeps up.
    parse: withinRange(parseByteSize, 2 * MAX_BODY_BYTES, 1024 * 1024 * 1024, 'between 600kb and 1024mb'),
  }),
  setting({ key: 'retentionMs', env: 'KEZ_CHAT_RETENTION', flag: '--retention', default: '30d', parse: parseDuration }),
  setting({
    key: 'retentionSweepMs',
    env: 'KEZ_CHAT_RETENTION_SWEEP',
    flag: '--retention-sweep',
    default: '1h',
    // A timer longer than 2^31 ms fires at once; a day is plenty.
    parse: withinRange(parseDuration, 100, 86_400_000, 'between 100ms and 24h'),
  }),
  setting({ key: 'publicUrl', env: 'KEZ_CHAT_PUBLIC_URL', flag: '--public-url', default: '', parse: parsePublicUrl }),
  setting({ key: 'rateRelay', env: 'KEZ_CHAT_RATE_RELAY', flag: '--rate-relay', default: '600/min', parse: parseRate }),
  setting({ key: 'rateRelayPubkey', env: 'KEZ_CHAT_RATE_RELAY_PUBKEY', flag: '--rate-relay-pubkey', default: '120/min', parse: parseRate }),
];

import { join } from 'node:path';

import { projectRoot } from '../common/project-root';
import type { AppConfig } from './app-config';
import { parseBind, parseDatabase, parseLogLevel, parseNonEmpty, parsePositiveInt, parseServerName, type Parser } from './parsers';

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
];

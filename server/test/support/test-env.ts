import { join } from 'node:path';

/**
 * The settings every test server starts with, whether in the Jest process or as
 * its own process; a test's own env overrides them. `dataDir` holds the SQLite
 * file and the VAPID key.
 */
export function testServerEnv(dataDir: string): Record<string, string> {
  return {
    KEZ_CHAT_SERVER: 'chat.test',
    KEZ_CHAT_DB: join(dataDir, 'kez.db'),
    LOG_LEVEL: 'warn',
    // Tests never dial the public nostr relays that are the product's default.
    KEZ_CHAT_RELAYS: '',
    // Each server its own VAPID key, also on PostgreSQL (whose default would be the repository's data/).
    KEZ_CHAT_VAPID_KEY_PATH: join(dataDir, 'vapid.pem'),
    // Suites send far more than one client would; the rate-limit suite sets its own limits.
    KEZ_CHAT_RATE_REGISTER: '100000/sec',
    KEZ_CHAT_RATE_MESSAGES: '100000/sec',
  };
}

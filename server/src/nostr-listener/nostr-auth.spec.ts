import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { verifyEvent } from 'nostr-tools/pure';

import { VapidKeys } from '../push/vapid-keys';
import { NostrAuthKey } from './nostr-auth';

function vapid(dir = mkdtempSync(join(tmpdir(), 'kez-nostr-auth-'))): VapidKeys {
  return VapidKeys.load({ vapidKeyPath: '', vapidSubject: '', server: 'chat.test', db: { kind: 'sqlite', path: join(dir, 'kez.db') } });
}

describe(NostrAuthKey.name, () => {
  it('is the same key for every instance sharing the VAPID key, and another for another key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kez-nostr-auth-'));
    expect(NostrAuthKey.fromVapid(vapid(dir)).pubkey).toBe(NostrAuthKey.fromVapid(vapid(dir)).pubkey);
    expect(NostrAuthKey.fromVapid(vapid(dir)).pubkey).not.toBe(NostrAuthKey.fromVapid(vapid()).pubkey);
    expect(NostrAuthKey.fromVapid(vapid(dir)).pubkey).toMatch(/^[0-9a-f]{64}$/);
  });

  it('signs NIP-42 AUTH events that verify under its pubkey', async () => {
    const key = NostrAuthKey.fromVapid(vapid());
    const template = {
      kind: 22242,
      created_at: Math.floor(Date.now() / 1000),
      tags: [
        ['relay', 'wss://relay.example/'],
        ['challenge', 'abc'],
      ],
      content: '',
    };
    const event = await key.sign(template);
    expect(event.pubkey).toBe(key.pubkey);
    expect(verifyEvent(JSON.parse(JSON.stringify(event)))).toBe(true);
    expect(event.tags).toEqual(template.tags);
  });
});

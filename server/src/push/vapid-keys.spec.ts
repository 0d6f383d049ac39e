import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { VapidKeyError, vapidKeyPath, VapidKeys, vapidSubject } from './vapid-keys';

const sqlite = (path: string) => ({ kind: 'sqlite' as const, path });

/** Settings for a fresh SQLite folder; `dir` is that folder. */
function config() {
  const dir = mkdtempSync(join(tmpdir(), 'kez-vapid-'));
  return { vapidKeyPath: '', vapidSubject: '', server: 'chat.example.org', db: sqlite(join(dir, 'kez.db')), dir };
}

describe(VapidKeys.name, () => {
  it('generates a P-256 key next to the SQLite file on first start (0600) and reuses it after', () => {
    const settings = config();
    const first = VapidKeys.load(settings);
    expect(first.created).toBe(true);
    expect(first.path).toBe(join(settings.dir, 'vapid.pem'));
    expect(statSync(first.path).mode & 0o777).toBe(0o600);
    const again = VapidKeys.load(settings);
    expect(again.created).toBe(false);
    expect(again.publicKey).toBe(first.publicKey);
    expect(again.privateKey).toBe(first.privateKey);
  });

  it('publishes the public key as a base64url uncompressed point matching the file', () => {
    const keys = VapidKeys.load(config());
    const point = Buffer.from(keys.publicKey, 'base64url');
    expect(point).toHaveLength(65);
    expect(point[0]).toBe(4);
    expect(keys.publicKey).toMatch(/^[A-Za-z0-9_-]+$/);
    const jwk = createPublicKey({ key: readFileSync(keys.path, 'utf8'), format: 'pem' }).export({ format: 'jwk' });
    expect(Buffer.from(jwk.x!, 'base64url')).toEqual(point.subarray(1, 33));
    expect(Buffer.from(keys.privateKey, 'base64url')).toHaveLength(32);
  });

  it('reads a key the operator provides', () => {
    const settings = config();
    const path = join(settings.dir, 'mine.pem');
    writeFileSync(path, generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
    expect(VapidKeys.load({ ...settings, vapidKeyPath: path })).toMatchObject({ path, created: false });
  });

  it('refuses garbage, another curve and an unreadable path with a one-line error naming the setting', () => {
    const settings = config();
    const folder = settings.dir;
    const garbage = join(folder, 'garbage.pem');
    writeFileSync(garbage, 'not a key');
    const otherCurve = join(folder, 'p384.pem');
    writeFileSync(otherCurve, generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
    for (const path of [garbage, otherCurve, folder]) {
      let error: unknown;
      try {
        VapidKeys.load({ ...settings, vapidKeyPath: path });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(VapidKeyError);
      expect((error as Error).message).toMatch(/^KEZ_CHAT_VAPID_KEY_PATH: /);
      expect((error as Error).message).not.toContain('\n');
    }
  });

  it('derives stable, purpose-separated secrets from the key', () => {
    const settings = config();
    const keys = VapidKeys.load(settings);
    expect(keys.deriveSecret('a')).toHaveLength(32);
    expect(keys.deriveSecret('a')).toEqual(VapidKeys.load(settings).deriveSecret('a'));
    expect(keys.deriveSecret('a')).not.toEqual(keys.deriveSecret('b'));
    expect(keys.deriveSecret('a')).not.toEqual(VapidKeys.load(config()).deriveSecret('a'));
  });
});

describe(vapidKeyPath.name, () => {
  it('is the setting when given, else beside the SQLite file, else data/', () => {
    expect(vapidKeyPath({ vapidKeyPath: '/etc/kez/vapid.pem', db: sqlite('x.db') })).toBe('/etc/kez/vapid.pem');
    expect(vapidKeyPath({ vapidKeyPath: '', db: sqlite('/var/lib/kez/kez.db') })).toBe('/var/lib/kez/vapid.pem');
    expect(vapidKeyPath({ vapidKeyPath: '', db: { kind: 'postgres', url: 'postgres://h/db' } })).toBe(resolve('data/vapid.pem'));
    expect(vapidKeyPath({ vapidKeyPath: '', db: sqlite(':memory:') })).toBe(resolve('data/vapid.pem'));
  });
});

describe(vapidSubject.name, () => {
  it('is the setting when given, else mailto:admin@ the server name without its port', () => {
    expect(vapidSubject({ vapidSubject: 'https://chat.example.org/contact', server: 'x' })).toBe('https://chat.example.org/contact');
    expect(vapidSubject({ vapidSubject: '', server: 'chat.example.org' })).toBe('mailto:admin@chat.example.org');
    expect(vapidSubject({ vapidSubject: '', server: 'localhost:6969' })).toBe('mailto:admin@localhost');
  });
});

import { createPrivateKey, generateKeyPairSync, hkdfSync, type KeyObject } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';

import type { AppConfig } from '../config/app-config';
import { vapidSubject } from '../config/vapid-subject';
import { readOrCreateSecretFile } from './secret-file';

/** A VAPID key that cannot be used; the message is one line for the operator. */
export class VapidKeyError extends Error {
  constructor(path: string, detail: string) {
    super(`KEZ_CHAT_VAPID_KEY_PATH: ${path}: ${detail}`);
    this.name = 'VapidKeyError';
  }
}

/** Where the key lives: the setting, else next to the SQLite file, else `data/` (PostgreSQL, in-memory SQLite). */
export function vapidKeyPath(config: Pick<AppConfig, 'vapidKeyPath' | 'db'>): string {
  if (config.vapidKeyPath !== '') {
    return resolve(config.vapidKeyPath);
  }
  if (config.db.kind === 'sqlite' && config.db.path !== ':memory:') {
    return join(dirname(resolve(config.db.path)), 'vapid.pem');
  }
  return resolve('data', 'vapid.pem');
}

export { vapidSubject } from '../config/vapid-subject';

/**
 * The server's VAPID identity (RFC 8292): a P-256 key generated on first start
 * and kept as PEM (PKCS#8) so that browsers' subscriptions, which are bound to
 * the public key, survive restarts. Every instance of a cluster must use the same file.
 */
export class VapidKeys {
  /** Uncompressed point, base64url: the browser's `applicationServerKey`. */
  readonly publicKey: string;
  /** The raw 32-byte scalar, base64url, as web-push takes it. */
  readonly privateKey: string;

  private constructor(
    private readonly scalar: Buffer,
    x: Buffer,
    y: Buffer,
    readonly subject: string,
    readonly path: string,
    readonly created: boolean,
  ) {
    this.publicKey = Buffer.concat([Buffer.from([4]), x, y]).toString('base64url');
    this.privateKey = scalar.toString('base64url');
  }

  static load(config: Pick<AppConfig, 'vapidKeyPath' | 'vapidSubject' | 'db' | 'server'>): VapidKeys {
    const path = vapidKeyPath(config);
    let file: { text: string; created: boolean };
    try {
      file = readOrCreateSecretFile(path, () =>
        generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      );
    } catch (error) {
      throw new VapidKeyError(path, `cannot read or create it (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
    const jwk = parseP256PrivateKey(file.text, path).export({ format: 'jwk' });
    return new VapidKeys(decode(jwk.d), decode(jwk.x), decode(jwk.y), vapidSubject(config), path, file.created);
  }

  /**
   * A 32-byte secret for another purpose (the nostr AUTH key), derived with
   * HKDF-SHA256 from the VAPID scalar under a purpose label, so it needs no file
   * of its own and reveals nothing about the VAPID key.
   */
  deriveSecret(purpose: string): Uint8Array {
    return new Uint8Array(hkdfSync('sha256', this.scalar, 'kez-chat', purpose, 32));
  }
}

function parseP256PrivateKey(pem: string, path: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    throw new VapidKeyError(path, 'not a PEM private key (expected PKCS#8 "BEGIN PRIVATE KEY")');
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new VapidKeyError(path, 'not a P-256 (prime256v1) key');
  }
  return key;
}

function decode(value: string | undefined): Buffer {
  return Buffer.from(value ?? '', 'base64url');
}

import { openV1 } from './envelope-v1';
import { openV2 } from './envelope-v2';
import { asPlainRecord } from './envelope-fields';
import { CryptoError } from './errors';
import { type Identity } from './identity';
import { type OpenedMessage } from './message';

/**
 * Opens an envelope of any version this library reads, dispatching on `v`. The
 * freshness window applies to v2 only (v1 is read for migrating history).
 */
export function openEnvelope(recipient: Identity, envelope: unknown, now: number = Date.now() / 1000): OpenedMessage {
  const version = asPlainRecord(envelope, 'envelope')['v'];
  switch (version) {
    case 1:
      return openV1(recipient, envelope);
    case 2:
      return openV2(recipient, envelope, now);
    default:
      throw new CryptoError(typeof version === 'number' ? 'unsupported_version' : 'malformed', 'unknown envelope version');
  }
}

import { randomBytes } from 'node:crypto';

import { InvalidValue, type Parser } from './parsers';

/**
 * NATS server URLs, comma separated (`nats://nats-1:4222,nats://nats-2:4222`);
 * a bare `host:port` is taken as `nats://`. Empty means no NATS: one instance,
 * in-process broker, per-instance rate limits.
 */
export const parseNatsUrls: Parser<string[]> = (raw) =>
  raw
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(entry) ? entry : `nats://${entry}`;
      let url: URL;
      try {
        url = new URL(withScheme);
      } catch {
        throw new InvalidValue(`${JSON.stringify(entry)} is not a NATS URL such as nats://127.0.0.1:4222`);
      }
      if (!['nats:', 'tls:'].includes(url.protocol) || url.hostname === '') {
        throw new InvalidValue(`${JSON.stringify(entry)} is not a NATS URL such as nats://127.0.0.1:4222`);
      }
      return withScheme;
    });

/**
 * Names this process in NATS (connection name, service metadata, metrics). It
 * ends up in subjects, so it is one subject token; empty means a random id per
 * process start, which is right unless an orchestrator has a stable name to give.
 */
export const parseInstanceId: Parser<string> = (raw) => {
  const value = raw.trim();
  if (value === '') {
    return randomBytes(4).toString('hex');
  }
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(value)) {
    throw new InvalidValue('expected 1–64 of A–Z, a–z, 0–9, _ and -');
  }
  return value;
};

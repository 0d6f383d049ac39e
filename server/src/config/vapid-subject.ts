import { isIP } from 'node:net';

import type { AppConfig } from './app-config';

/** The RFC 8292 `sub` claim: the setting, else `mailto:admin@<server name without port>`. */
export function vapidSubject(config: Pick<AppConfig, 'vapidSubject' | 'server'>): string {
  return config.vapidSubject !== '' ? config.vapidSubject : `mailto:admin@${config.server.replace(/:\d+$/, '')}`;
}

/**
 * Names that never belong to anyone on the public internet (RFC 2606, RFC 6761,
 * RFC 6762, RFC 8375, and `.internal` reserved by ICANN for private use).
 */
const RESERVED_SUFFIXES = ['localhost', 'local', 'test', 'invalid', 'example', 'internal', 'home.arpa', 'example.com', 'example.net', 'example.org'];

/** The host a `mailto:` or `https:` subject names, lower-case, without brackets; undefined when there is none. */
function subjectHost(subject: string): string | undefined {
  if (subject.startsWith('mailto:')) {
    const at = subject.lastIndexOf('@');
    return at < 0
      ? undefined
      : subject
          .slice(at + 1)
          .split('?')[0]
          .toLowerCase();
  }
  try {
    return new URL(subject).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * Why push services would refuse this VAPID subject, or undefined when it looks
 * fine. Apple's push service answers 403 BadJwtToken to a `sub` on `localhost`,
 * an IP literal or a reserved name, so every push to Safari would fail; the
 * message says so and what to set instead (one line, for the start-up log).
 */
export function vapidSubjectProblem(subject: string): string | undefined {
  const host = subjectHost(subject);
  let why: string | undefined;
  if (host === undefined || host === '') {
    why = 'names no host';
  } else if (isIP(host) !== 0) {
    why = `names an IP address (${host}), not a domain`;
  } else if (RESERVED_SUFFIXES.some((suffix) => host === suffix || host.endsWith(`.${suffix}`))) {
    why = `names ${host}, a reserved name that is nobody's on the internet`;
  } else if (!host.includes('.')) {
    why = `names ${host}, which is not a public domain name`;
  }
  return why === undefined
    ? undefined
    : `the VAPID subject ${subject} ${why}; push services such as Apple's refuse it (403 BadJwtToken). ` +
        'Set KEZ_CHAT_VAPID_SUBJECT to a mailto: or https: URL on a domain you control, e.g. mailto:admin@chat.example.org';
}

import { randomBytes } from 'node:crypto';

import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

import type { LogLevel } from '@nestjs/common';

/** Fresh every process, so hashed handles cannot be joined across restarts or instances. */
const salt = bytesToHex(randomBytes(16));

let reveal = false;

/** Handles appear in clear only when the operator asked for debug or verbose logs. */
export function configureLogPrivacy(level: LogLevel): void {
  reveal = level === 'debug' || level === 'verbose';
}

/** How a handle is written in logs: `h:<12 hex>` at info and above. */
export function logHandle(handle: string): string {
  if (reveal) {
    return handle;
  }
  return `h:${bytesToHex(sha256(utf8ToBytes(`${salt}:${handle}`))).slice(0, 12)}`;
}

/**
 * How a push endpoint is written in logs, at every level: the push service's host
 * (which browser vendor, useful to operators) and a salted hash of the rest, which
 * is a bearer capability to wake one device and must never be logged in clear.
 */
export function logEndpoint(endpoint: string): string {
  let host = '?';
  try {
    host = new URL(endpoint).host;
  } catch {
    // an unparsable endpoint is logged by its hash alone
  }
  return `${host}/e:${bytesToHex(sha256(utf8ToBytes(`${salt}:endpoint:${endpoint}`))).slice(0, 12)}`;
}

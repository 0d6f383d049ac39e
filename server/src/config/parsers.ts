import { isIP } from 'node:net';

import type { LogLevel } from '@nestjs/common';

import type { CidrConfig, DatabaseConfig, LogFormat, RateConfig } from './app-config';

/** A parser turns the raw text of a setting into its value, or throws with why not. */
export type Parser<T> = (raw: string) => T;

export class InvalidValue extends Error {}

export const parseBind: Parser<{ host: string; port: number }> = (raw) => {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(raw.trim());
  if (!match) {
    throw new InvalidValue('expected host:port, e.g. 127.0.0.1:6969 or [::1]:6969');
  }
  const host = match[1] ?? match[2];
  const port = Number(match[3]);
  if (port > 65535) {
    throw new InvalidValue('port must be 0–65535');
  }
  if (match[1] !== undefined && isIP(host) !== 6) {
    throw new InvalidValue('bracketed host must be an IPv6 address');
  }
  return { host, port };
};

/** A DNS name (optionally with a port), lower case, as it appears after `@`. */
export const parseServerName: Parser<string> = (raw) => {
  const name = raw.trim().toLowerCase();
  const label = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
  if (!new RegExp(`^${label}(?:\\.${label})*(?::\\d{1,5})?$`).test(name) || name.length > 253) {
    throw new InvalidValue('expected a host name such as chat.example.org');
  }
  return name;
};

export const parseDatabase: Parser<DatabaseConfig> = (raw) => {
  const value = raw.trim();
  if (value === '') {
    throw new InvalidValue('expected a SQLite file path or a postgres:// URL');
  }
  if (/^postgres(ql)?:\/\//.test(value)) {
    try {
      new URL(value);
    } catch {
      throw new InvalidValue('not a valid postgres:// URL');
    }
    return { kind: 'postgres', url: value };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    throw new InvalidValue('only SQLite file paths and postgres:// URLs are supported');
  }
  return { kind: 'sqlite', path: value };
};

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/** Accepts Nest's levels plus the common `info` (= log) and `trace` (= verbose). */
export const parseLogLevel: Parser<LogLevel> = (raw) => {
  const value = raw.trim().toLowerCase();
  const alias: Record<string, LogLevel> = { info: 'log', trace: 'verbose' };
  const level = alias[value] ?? value;
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new InvalidValue('expected one of fatal, error, warn, info, debug, verbose');
  }
  return level;
};

/** `LOG_FORMAT`: `text` (readable lines) or `json` (one object per line). */
export const parseLogFormat: Parser<LogFormat> = (raw) => {
  const value = raw.trim().toLowerCase();
  if (value !== 'text' && value !== 'json') {
    throw new InvalidValue('expected text or json');
  }
  return value;
};

export const parseNonEmpty: Parser<string> = (raw) => {
  if (raw.trim() === '') {
    throw new InvalidValue('must not be empty');
  }
  return raw.trim();
};

export const parsePositiveInt: Parser<number> = (raw) => {
  if (!/^[1-9][0-9]*$/.test(raw.trim())) {
    throw new InvalidValue('expected a positive whole number');
  }
  return Number(raw.trim());
};

export const parseBoolean: Parser<boolean> = (raw) => {
  const value = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(value)) {
    return true;
  }
  if (['0', 'false', 'no', 'off', ''].includes(value)) {
    return false;
  }
  throw new InvalidValue('expected true or false');
};

/** `<count>/<sec|min|hour>`, e.g. `60/min`, as a token bucket: capacity and refill per second. */
export const parseRate: Parser<RateConfig> = (raw) => {
  const match = /^\s*([1-9][0-9]*)\s*\/\s*(sec|s|second|min|m|minute|hour|h)\s*$/.exec(raw.toLowerCase());
  if (!match) {
    throw new InvalidValue('expected <count>/<sec|min|hour>, e.g. 60/min');
  }
  const count = Number(match[1]);
  const unit = match[2][0];
  const seconds = unit === 's' ? 1 : unit === 'm' ? 60 : 3600;
  return { capacity: count, perSecond: count / seconds };
};

/** Durations like `30d`, `12h`, `15m`, `90s`, `500ms`, in milliseconds. */
export const parseDuration: Parser<number> = (raw) => {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/.exec(raw.toLowerCase());
  if (!match) {
    throw new InvalidValue('expected a duration such as 30d, 12h, 15m, 10s or 500ms');
  }
  const factor = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 'ms' | 's' | 'm' | 'h' | 'd'];
  const value = Number(match[1]) * factor;
  if (value <= 0) {
    throw new InvalidValue('must be greater than zero');
  }
  return value;
};

/** One `address/prefix` range; a bare address is a single host. */
function parseCidr(entry: string): CidrConfig {
  const [network, prefixText, extra] = entry.split('/');
  const version = network.includes('%') ? 0 : isIP(network);
  const max = version === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (version === 0 || extra !== undefined || !(prefix <= max)) {
    throw new InvalidValue(`${JSON.stringify(entry)} is not an address range such as 10.0.0.0/8 or fd00::/8`);
  }
  return { network, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}

/** A comma-separated list of CIDRs, IPv4 and IPv6, e.g. `127.0.0.1/32, fd00::/8`; empty means none. */
export const parseCidrList: Parser<CidrConfig[]> = (raw) =>
  raw
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map(parseCidr);

/** A comma-separated list of nostr relay URLs (`wss://` or `ws://`); empty means none. */
export const parseRelayList: Parser<readonly string[]> = (raw) => {
  const urls = raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  for (const url of urls) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new InvalidValue(`${url} is not a URL; expected a comma-separated list of wss:// or ws:// URLs`);
    }
    if (parsed.protocol !== 'wss:' && parsed.protocol !== 'ws:') {
      throw new InvalidValue(`${url} is not a wss:// or ws:// URL`);
    }
  }
  return [...new Set(urls)];
};

/** The VAPID `sub` claim (RFC 8292): a `mailto:` or `https:` URL, or empty for the default. */
export const parseVapidSubject: Parser<string> = (raw) => {
  const value = raw.trim();
  if (value === '') {
    return value;
  }
  if (/^mailto:[^@\s]+@[^@\s]+$/.test(value)) {
    return value;
  }
  try {
    if (new URL(value).protocol === 'https:') {
      return value;
    }
  } catch {
    // falls through to the error below
  }
  throw new InvalidValue('expected a mailto: address or an https: URL, e.g. mailto:admin@chat.example.org');
};

/** Sizes like `1mb`, `512kb` or a plain byte count, in bytes (`k` and `m` count 1024s). */
export const parseByteSize: Parser<number> = (raw) => {
  const match = /^\s*(\d+)\s*(b|k|kb|kib|m|mb|mib)?\s*$/.exec(raw.toLowerCase());
  if (!match) {
    throw new InvalidValue('expected a size such as 1mb, 512kb or 1048576');
  }
  const unit = match[2]?.[0] ?? 'b';
  return Number(match[1]) * (unit === 'm' ? 1024 * 1024 : unit === 'k' ? 1024 : 1);
};

/** `parse`, then refuses values outside [min, max]; `bounds` says the range in the setting's own units. */
export function withinRange(parse: Parser<number>, min: number, max: number, bounds: string): Parser<number> {
  return (raw) => {
    const value = parse(raw);
    if (value < min || value > max) {
      throw new InvalidValue(`must be ${bounds}`);
    }
    return value;
  };
}

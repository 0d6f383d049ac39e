// Framework-free: turns the answers of GET /v1/healthz and GET /v1/readyz into what the
// page shows. No Angular here, so Jest can test it as plain TypeScript.

/**
 * - `ok`: the server lives and its dependencies answer.
 * - `unavailable`: the server lives but is not ready (readyz is not 200, e.g. its database is down).
 * - `unreachable`: no valid KEZ chat liveness answer at all (network error, timeout,
 *   an error status, or a body that is not a health response, e.g. from a proxy).
 */
export type Health = 'ok' | 'unavailable' | 'unreachable';

/** One HTTP answer reduced to what matters here. `status` 0 means no answer (network error, timeout). */
export interface HttpOutcome {
  readonly status: number;
  readonly body: unknown;
}

/** The body of a 200 from `GET /v1/healthz`. */
export interface Liveness {
  readonly server: string;
  readonly version: string;
}

export interface ServerReport {
  readonly health: Health;
  /** The server's configured name, when it answered. */
  readonly server: string | null;
  readonly version: string | null;
  /** Names of the readiness checks that failed, when the server said which. */
  readonly failedChecks: readonly string[];
}

/** Longest name or version we accept; anything longer is not a health response. */
const MAX_FIELD_LENGTH = 256;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function shortText(value: unknown): string | null {
  if (typeof value !== 'string') {
    return null;
  }
  const text = value.trim();
  return text.length > 0 && text.length <= MAX_FIELD_LENGTH ? text : null;
}

/** Reads `{"status":"ok","server":"<name>","version":"<semver>"}`; null for anything else. */
export function parseLiveness(body: unknown): Liveness | null {
  if (!isRecord(body) || body['status'] !== 'ok') {
    return null;
  }
  const server = shortText(body['server']);
  const version = shortText(body['version']);
  return server !== null && version !== null ? { server, version } : null;
}

function checkPassed(value: unknown): boolean {
  if (value === true || value === 'ok' || value === 'up') {
    return true;
  }
  return isRecord(value) && checkPassed(value['status']);
}

/**
 * Names of failed checks in a readyz body such as `{"status":"unavailable","checks":{...}}`.
 * The contract leaves the shape of each check open, so `true`, `"ok"`, `"up"` and
 * `{"status":"ok"}` count as passing and anything else as failing.
 */
export function failedChecks(body: unknown): string[] {
  if (!isRecord(body) || !isRecord(body['checks'])) {
    return [];
  }
  return Object.entries(body['checks'])
    .filter(([, value]) => !checkPassed(value))
    .map(([name]) => name)
    .sort();
}

export function toServerReport(healthz: HttpOutcome, readyz: HttpOutcome): ServerReport {
  const liveness = healthz.status === 200 ? parseLiveness(healthz.body) : null;
  if (liveness === null) {
    return { health: 'unreachable', server: null, version: null, failedChecks: [] };
  }
  const ready = readyz.status === 200;
  return {
    health: ready ? 'ok' : 'unavailable',
    server: liveness.server,
    version: liveness.version,
    failedChecks: ready ? [] : failedChecks(readyz.body),
  };
}

import { AppConfig } from './app-config';
import { ConfigError } from './config-error';
import { InvalidValue } from './parsers';
import { SETTINGS } from './settings';
import { vapidSubject, vapidSubjectProblem } from './vapid-subject';

/** Reads `--flag value` and `--flag=value` pairs; a flag wins over its environment variable. */
function parseFlags(argv: readonly string[]): Map<string, string> {
  const known = new Set(SETTINGS.map((s) => s.flag));
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (!known.has(flag)) {
      throw new ConfigError(arg, `unknown option (known: ${[...known].join(', ')})`);
    }
    if (eq > 0) {
      flags.set(flag, arg.slice(eq + 1));
    } else if (i + 1 < argv.length) {
      flags.set(flag, argv[++i]);
    } else {
      throw new ConfigError(flag, 'needs a value');
    }
  }
  return flags;
}

/** Builds the validated configuration, or throws a ConfigError naming the first bad setting. */
export function loadConfig(env: NodeJS.ProcessEnv, argv: readonly string[]): AppConfig {
  const flags = parseFlags(argv);
  const values: Record<string, unknown> = {};
  for (const s of SETTINGS) {
    const fromFlag = flags.get(s.flag);
    const raw = fromFlag ?? env[s.env] ?? s.default;
    try {
      values[s.key] = s.parse(raw);
    } catch (error) {
      if (error instanceof InvalidValue) {
        throw new ConfigError(fromFlag !== undefined ? s.flag : s.env, `${error.message} (got ${JSON.stringify(raw)})`);
      }
      throw error;
    }
  }
  const config = Object.freeze(Object.assign(new AppConfig(), values));
  refuseUnusableVapidSubject(config);
  return config;
}

/** In strict mode a VAPID subject push services reject stops the start (else PushModule warns). */
function refuseUnusableVapidSubject(config: AppConfig): void {
  const problem = config.vapidStrict ? vapidSubjectProblem(vapidSubject(config)) : undefined;
  if (problem !== undefined) {
    throw new ConfigError(config.vapidSubject === '' ? 'KEZ_CHAT_SERVER' : 'KEZ_CHAT_VAPID_SUBJECT', `${problem} (KEZ_CHAT_VAPID_STRICT is on)`);
  }
}

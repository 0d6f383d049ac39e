import { AppConfig } from './app-config';
import { ConfigError } from './config-error';
import { InvalidValue } from './parsers';
import { SETTINGS } from './settings';

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
  return Object.freeze(Object.assign(new AppConfig(), values));
}

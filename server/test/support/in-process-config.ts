import type { AppConfig } from '../../src/config/app-config';
import { loadConfig } from '../../src/config/load-config';
import { testServerEnv } from './test-env';
import { stubWebDir } from './web-dir';

/**
 * The configuration of an app built in the Jest process, read by the server's own
 * loadConfig from the same settings a test server process gets (never from this
 * process's environment), with a stub web client so no client build is needed.
 */
export function inProcessConfig(dataDir: string, env: Record<string, string> = {}): AppConfig {
  return loadConfig({ ...testServerEnv(dataDir), KEZ_CHAT_WEB_DIR: stubWebDir(), ...env }, []);
}

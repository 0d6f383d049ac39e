import 'reflect-metadata';

import { startServer } from './bootstrap';
import { ConfigError } from './config/config-error';
import { loadConfig } from './config/load-config';

function configOrExit() {
  try {
    return loadConfig(process.env, process.argv.slice(2));
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`kez-chat: invalid configuration: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}

startServer(configOrExit()).catch((error: unknown) => {
  process.stderr.write(`kez-chat: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

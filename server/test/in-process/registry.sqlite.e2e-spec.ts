import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { registrySuite } from './registry.suite';

registrySuite('SQLite', async () => ({ env: { KEZ_CHAT_DB: join(mkdtempSync(join(tmpdir(), 'kez-reg-')), 'kez.db') } }));

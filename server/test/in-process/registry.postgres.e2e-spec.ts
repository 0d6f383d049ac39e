import { createTestDatabase } from '../support/postgres';
import { registrySuite } from './registry.suite';

registrySuite('PostgreSQL', async () => {
  const db = await createTestDatabase();
  return { env: { KEZ_CHAT_DB: db.url }, cleanup: db.drop };
});

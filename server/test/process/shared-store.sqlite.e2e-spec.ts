import { sqliteRun } from '../support/stores';
import { sharedStoreSuite } from './shared-store.suite';

sharedStoreSuite(sqliteRun);

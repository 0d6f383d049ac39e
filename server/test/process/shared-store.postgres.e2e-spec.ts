import { postgresRun } from '../support/stores';
import { sharedStoreSuite } from './shared-store.suite';

sharedStoreSuite(postgresRun);

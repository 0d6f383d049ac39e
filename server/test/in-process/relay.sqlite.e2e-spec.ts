import { sqliteRun } from '../support/stores';
import { relaySuite } from './relay.suite';

relaySuite(sqliteRun);

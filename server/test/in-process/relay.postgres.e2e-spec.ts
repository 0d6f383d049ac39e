import { postgresRun } from '../support/stores';
import { relaySuite } from './relay.suite';

relaySuite(postgresRun);

import { sqliteRun } from '../support/stores';
import { fuzzSuite } from './fuzz.suite';

fuzzSuite(sqliteRun);

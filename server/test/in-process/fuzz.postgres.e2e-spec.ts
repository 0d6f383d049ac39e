import { postgresRun } from '../support/stores';
import { fuzzSuite } from './fuzz.suite';

fuzzSuite(postgresRun);

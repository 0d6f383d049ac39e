import { postgresRun } from '../support/stores';
import { badInputSuite } from './bad-input.suite';

badInputSuite(postgresRun);

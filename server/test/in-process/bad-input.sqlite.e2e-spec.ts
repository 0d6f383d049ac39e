import { sqliteRun } from '../support/stores';
import { badInputSuite } from './bad-input.suite';

badInputSuite(sqliteRun);

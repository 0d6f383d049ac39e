import { sqliteRun } from '../support/stores';
import { messagesSuite } from './messages.suite';

messagesSuite(sqliteRun);

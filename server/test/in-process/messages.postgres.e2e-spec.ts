import { postgresRun } from '../support/stores';
import { messagesSuite } from './messages.suite';

messagesSuite(postgresRun);

import { sqliteRun } from '../support/stores';
import { streamsSuite } from './streams.suite';

streamsSuite(sqliteRun);

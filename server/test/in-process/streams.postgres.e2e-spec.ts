import { postgresRun } from '../support/stores';
import { streamsSuite } from './streams.suite';

streamsSuite(postgresRun);

import { ERROR_STATUS, type ErrorCode } from '@kez/protocol';

import type { RawResult } from './raw-http';

/** Longest error message the server may send; messages never quote unbounded input. */
export const MAX_ERROR_MESSAGE = 300;

/** What must never appear in an answer: stack frames, SQL, file paths. */
const LEAKS =
  /\bat \S+ \(|\.(?:ts|js):\d+|node_modules|\/work\/|\/home\/|\/tmp\/|\bSELECT\b|\bINSERT INTO\b|\bUPDATE \w+ SET\b|\bFROM "?\w+"? WHERE\b|SQLITE_|FST_ERR/i;

/**
 * Everything wrong with `result` as the contract's error answer `status`/`code`
 * (an empty list when it is right): `{"error":{"code","message"}}` and nothing
 * else, JSON content type, the code's status from the contract's table, a short
 * message, no leak. A HEAD answer has no body, so only its status and headers count.
 */
export function contractErrorProblems(result: RawResult, status: number, code: ErrorCode | undefined, method = 'GET'): string[] {
  const problems: string[] = [];
  if (result.status !== status) {
    problems.push(`status ${result.status}, expected ${status}`);
  }
  if (!String(result.headers['content-type']).startsWith('application/json')) {
    problems.push(`content-type ${result.headers['content-type']}`);
  }
  if (method === 'HEAD') {
    if (result.body.length !== 0) {
      problems.push(`a HEAD answer with ${result.body.length} body bytes`);
    }
    return problems;
  }
  const error = result.json?.error;
  if (typeof error?.code !== 'string' || typeof error.message !== 'string' || Object.keys(result.json).length !== 1 || Object.keys(error).length !== 2) {
    return [...problems, `not the contract's error JSON: ${result.text.slice(0, 200)}`];
  }
  if (code !== undefined && error.code !== code) {
    problems.push(`code ${error.code}, expected ${code}`);
  }
  if (ERROR_STATUS[error.code as ErrorCode] !== result.status) {
    problems.push(`code ${error.code} travels with ${ERROR_STATUS[error.code as ErrorCode]}, not ${result.status}`);
  }
  if (error.message.length > MAX_ERROR_MESSAGE) {
    problems.push(`a ${error.message.length}-character message`);
  }
  if (LEAKS.test(result.text)) {
    problems.push(`a leak: ${result.text.slice(0, 200)}`);
  }
  return problems;
}

/** Runs `task` over `items`, `width` at a time, in order of completion. */
export async function inBatches<T, R>(items: readonly T[], width: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
  return results;
}

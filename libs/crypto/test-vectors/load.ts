import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// Test-only (Node) access to the vector files: specs run under Jest in Node, the
// library itself never touches the file system.

const ROOT = __dirname;

/** Exact file contents, for comparisons that must be byte for byte. */
export function readVectorText(relativePath: string): string {
  return readFileSync(join(ROOT, relativePath), 'utf8');
}

export function readVector<T>(relativePath: string): T {
  return JSON.parse(readVectorText(relativePath)) as T;
}

/** Wycheproof's common file shape, narrowed per spec by the test type. */
export interface WycheproofFile<G> {
  algorithm: string;
  numberOfTests: number;
  testGroups: G[];
}

export type WycheproofResult = 'valid' | 'invalid' | 'acceptable';

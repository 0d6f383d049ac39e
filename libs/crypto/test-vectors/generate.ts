// Writes envelope-v1.json and envelope-v2.json from buildEnvelopeVectors().
// Run from the repository root:  node -r esbuild-register libs/crypto/test-vectors/generate.ts
// The output is deterministic; regenerate only when the envelope format changes on
// purpose, and say so in the commit.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { buildEnvelopeVectors } from './build-envelope-vectors';

const { v1, v2 } = buildEnvelopeVectors();
writeFileSync(join(__dirname, 'envelope-v1.json'), `${JSON.stringify(v1, null, 2)}\n`);
writeFileSync(join(__dirname, 'envelope-v2.json'), `${JSON.stringify(v2, null, 2)}\n`);
console.log('wrote envelope-v1.json and envelope-v2.json');

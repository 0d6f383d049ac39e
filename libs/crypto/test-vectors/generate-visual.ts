// Writes visual-v1.json from buildVisualVector(). Run from the repository root:
//   node -r esbuild-register libs/crypto/test-vectors/generate-visual.ts
// Regenerate only when visual encryption changes on purpose (then it is v2).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { buildVisualVector } from './build-visual-vectors';

writeFileSync(join(__dirname, 'visual-v1.json'), `${JSON.stringify(buildVisualVector(), null, 2)}\n`);
console.log('wrote visual-v1.json');

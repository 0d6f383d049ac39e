import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { INITIAL_JS_GZIP_BUDGET, measureInitialJs } from '../bench/client/run';

// What the build must never ship: more first-screen JavaScript than the budget (a size,
// the same on any machine), or the server's validation code. Speed figures (sealing and
// opening in Chromium) are bench/client's (npm run bench:client; docs/performance.md).

const WEB = join(__dirname, '..', 'dist/client/browser');

describe('client bundle', () => {
  it(`loads at most ${INITIAL_JS_GZIP_BUDGET / 1024} kB of gzipped JavaScript before the first screen`, () => {
    const initial = measureInitialJs();
    expect(initial.files).toBeGreaterThan(1);
    expect(initial.gzipBytes).toBeLessThanOrEqual(INITIAL_JS_GZIP_BUDGET);
  });

  it('ships none of the server-side validation code', () => {
    // String constants of class-validator and reflect-metadata that survive minification.
    const markers = ['conditionalValidation', 'defineMetadata'];
    const files = readdirSync(WEB).filter((file) => file.endsWith('.js'));
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const text = readFileSync(join(WEB, file), 'utf8');
      expect(markers.filter((marker) => text.includes(marker)).map((marker) => `${file}: ${marker}`)).toEqual([]);
    }
  });
});

import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { readOrCreateSecretFile } from './secret-file';

describe(readOrCreateSecretFile.name, () => {
  const dir = () => mkdtempSync(join(tmpdir(), 'kez-secret-'));

  it('creates the file (and its folder) with mode 0600, then reads it back unchanged', () => {
    const path = join(dir(), 'nested', 'key.pem');
    const first = readOrCreateSecretFile(path, () => 'one');
    expect(first).toEqual({ text: 'one', created: true });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readOrCreateSecretFile(path, () => 'two')).toEqual({ text: 'one', created: false });
  });

  it('leaves no temporary files behind', () => {
    const folder = dir();
    readOrCreateSecretFile(join(folder, 'key.pem'), () => 'x');
    expect(readdirSync(folder)).toEqual(['key.pem']);
  });

  it('keeps the first writer when another creates the file meanwhile', () => {
    const path = join(dir(), 'key.pem');
    // The second creator runs while the first one is generating: its link finds the file there.
    const result = readOrCreateSecretFile(path, () => {
      readOrCreateSecretFile(path, () => 'winner');
      return 'loser';
    });
    expect(result).toEqual({ text: 'winner', created: false });
  });
});

import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { cacheControlFor, isApiPath, resolveWebFile } from './web-files';

describe(resolveWebFile.name, () => {
  const root = mkdtempSync(join(tmpdir(), 'kez-web-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), '<html></html>');
  writeFileSync(join(root, 'assets', 'logo.svg'), '<svg/>');

  it('finds files under the root', async () => {
    await expect(resolveWebFile(root, '/assets/logo.svg')).resolves.toBe(join('assets', 'logo.svg'));
    await expect(resolveWebFile(root, '/index.html?x=1')).resolves.toBe('index.html');
  });

  it('names nothing for folders, missing files and escapes', async () => {
    await expect(resolveWebFile(root, '/assets')).resolves.toBeUndefined();
    await expect(resolveWebFile(root, '/chat/alice')).resolves.toBeUndefined();
    await expect(resolveWebFile(root, '/../etc/passwd')).resolves.toBeUndefined();
    await expect(resolveWebFile(root, '/%2e%2e/%2e%2e/etc/passwd')).resolves.toBeUndefined();
    await expect(resolveWebFile(root, '/%E0%A4%A')).resolves.toBeUndefined();
  });
});

describe(isApiPath.name, () => {
  it('keeps API and well-known paths out of the client fallback', () => {
    expect(isApiPath('/v1/nope')).toBe(true);
    expect(isApiPath('/.well-known/host-meta')).toBe(true);
    expect(isApiPath('/v1x')).toBe(false);
    expect(isApiPath('/chats')).toBe(false);
  });
});

describe(cacheControlFor.name, () => {
  it('caches hashed build files forever and revalidates the rest', () => {
    expect(cacheControlFor('main-ABCD1234.js')).toContain('immutable');
    expect(cacheControlFor('index.html')).toBe('no-cache');
  });
});

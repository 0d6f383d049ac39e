import { existsSync, mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { buildRegisterRequest, deriveIdentity, generateSeed } from '@kez/crypto';

import { registerUser, streamAuth, streamUrl } from '../support/inbox-client';
import { errorCode, http } from '../support/kez-http';
import { RawRelayClient } from '../support/relay-client';
import { startServerProcess } from '../support/server-process';
import { SseClient } from '../support/sse-client';
import { waitFor } from '../support/wait-for';

describe('server lifecycle', () => {
  it('refuses a bad setting at start with one line naming it', async () => {
    const server = await startServerProcess({ env: { KEZ_CHAT_BIND: 'not-an-address' }, expectExit: true });
    expect(server.child.exitCode).toBe(2);
    const lines = server.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^kez-chat: invalid configuration: KEZ_CHAT_BIND: /);
  });

  it('takes settings as --flags too', async () => {
    const server = await startServerProcess({ args: ['--server', 'flags.test'] });
    try {
      expect((await http(`${server.url}/v1/healthz`)).body.server).toBe('flags.test');
    } finally {
      await server.stop();
    }
  });

  it('shuts down cleanly on SIGTERM and SIGINT', async () => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const server = await startServerProcess();
      expect(await server.stop(signal)).toBe(0);
    }
  });

  it('ends open streams and relay connections on SIGTERM, and exits 0 without waiting for their clients', async () => {
    const server = await startServerProcess();
    const users = await Promise.all(['ann', 'ben', 'cat'].map((h) => registerUser(server.url, h)));
    const streams = await Promise.all(users.map((u) => SseClient.open(streamUrl(server.url, u.handle, streamAuth(u)))));
    const relay = await RawRelayClient.connect(`ws://127.0.0.1:${server.port}/relay`);
    await relay.challenge();
    // The clients keep everything open: a shutdown that waited for them would never end.
    let code: number | null | undefined;
    void server.stop('SIGTERM').then((exit) => (code = exit));
    await waitFor('the server to exit while its clients still hold their streams', () => code !== undefined);
    expect(code).toBe(0);
    await Promise.all(streams.map((stream) => stream.ended));
    // 1001 "going away": relay clients reconnect elsewhere.
    expect(await relay.closeCode()).toBe(1001);
  });

  it('keeps its data across restarts (migrations run once)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kez-life-'));
    const env = { KEZ_CHAT_DB: join(dir, 'kez.db') };
    const first = await startServerProcess({ env });
    const alice = deriveIdentity(generateSeed());
    const registered = await http(`${first.url}/v1/register`, {
      method: 'POST',
      json: buildRegisterRequest(alice, 'alice', 'chat.test', Math.floor(Date.now() / 1000)),
    });
    expect(registered.status).toBe(201);
    await first.stop();
    const second = await startServerProcess({ env });
    try {
      expect((await http(`${second.url}/v1/readyz`)).status).toBe(200);
      expect((await http(`${second.url}/v1/u/alice`)).body.primary).toBe(alice.primary);
    } finally {
      await second.stop();
    }
  });

  it('refuses a broken VAPID key file (KEZ_CHAT_VAPID_KEY_PATH) at start with one line', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'kez-vapid-')), 'broken.pem');
    writeFileSync(path, '-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----\n');
    const server = await startServerProcess({ env: { KEZ_CHAT_VAPID_KEY_PATH: path }, expectExit: true });
    expect(server.child.exitCode).toBe(1);
    const lines = server.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toBe(`kez-chat: failed to start: KEZ_CHAT_VAPID_KEY_PATH: ${path}: not a PEM private key (expected PKCS#8 "BEGIN PRIVATE KEY")`);
  });

  it('fails to start with a clear message when PostgreSQL cannot be reached', async () => {
    const server = await startServerProcess({
      env: { KEZ_CHAT_DB: 'postgres://postgres@127.0.0.1:1/nowhere', KEZ_CHAT_DB_CONNECT_ATTEMPTS: '1' },
      expectExit: true,
    });
    expect(server.child.exitCode).toBe(1);
    expect(server.output()).toMatch(/kez-chat: failed to start: .*(ECONNREFUSED|connect)/);
  }, 30_000);
});

describe('web client', () => {
  const webDir = mkdtempSync(join(tmpdir(), 'kez-webdir-'));
  mkdirSync(join(webDir, 'assets'));
  writeFileSync(join(webDir, 'index.html'), '<!doctype html><title>KEZ chat</title><app-root></app-root>');
  writeFileSync(join(webDir, 'main-ABCDEFGH.js'), 'console.log(1)');

  it('serves index.html at / and for client-side routes, files as they are, and JSON 404s under /v1', async () => {
    const server = await startServerProcess({ env: { KEZ_CHAT_WEB_DIR: webDir } });
    try {
      for (const path of ['/', '/chats/alice', '/settings?tab=1']) {
        const page = await http(`${server.url}${path}`);
        expect(page.status).toBe(200);
        expect(page.headers.get('content-type')).toMatch(/^text\/html/);
        expect(page.text).toContain('<app-root>');
      }
      const script = await http(`${server.url}/main-ABCDEFGH.js`);
      expect(script.headers.get('content-type')).toMatch(/javascript/);
      expect(script.headers.get('cache-control')).toContain('immutable');
      const api = await http(`${server.url}/v1/unknown/path`);
      expect(api.status).toBe(404);
      expect(errorCode(api)).toBe('not_found');
      const escape = await http(`${server.url}/..%2f..%2fetc%2fpasswd`);
      expect(escape.text).not.toContain('root:');
    } finally {
      await server.stop();
    }
  });

  const builtClient = resolve(__dirname, '../../../dist/client/browser/index.html');
  it('serves the built Angular client by default', async () => {
    expect(existsSync(builtClient)).toBe(true);
    const server = await startServerProcess();
    try {
      const page = await http(`${server.url}/`);
      expect(page.status).toBe(200);
      expect(page.text).toMatch(/<app-root|<kez-root/);
    } finally {
      await server.stop();
    }
  });
});

import { registerUser, send, streamAuth, streamUrl } from '../support/inbox-client';
import { http } from '../support/kez-http';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import { waitFor } from '../support/wait-for';

/** LOG_FORMAT and the access log (README, configuration and operations). */
describe('logs', () => {
  let server: ServerProcess | undefined;

  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it('LOG_FORMAT=json writes one JSON object per line, with a req_id on each access line and no handle, auth or envelope', async () => {
    server = await startServerProcess({ env: { LOG_FORMAT: 'json', LOG_LEVEL: 'debug', KEZ_CHAT_RELAYS: '' } });
    const bob = await registerUser(server.url, 'bob');
    const auth = streamAuth(bob);
    await send(server.url, 'bob', { v: 1, secret: 'envelope-text-never-logged' });
    await http(`${streamUrl(server.url, 'bob', auth)}&since=x`);
    await waitFor('the access line of the stream', () => server!.output().includes('"route":"/v1/inbox/:handle/stream"'));
    const lines = server.output().trim().split('\n');
    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records.every((record) => typeof record.level === 'number' && typeof record.msg === 'string' && record.instance_id !== undefined)).toBe(true);
    const access = records.filter((record) => record.context === 'Access');
    expect(access.map((record) => [record.method, record.route, record.status].join(' '))).toEqual(
      expect.arrayContaining(['POST /v1/register 201', 'POST /v1/messages 201', 'GET /v1/inbox/:handle/stream 400']),
    );
    for (const record of access) {
      expect(record.req_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(record.level).toBe(20);
    }
    expect(new Set(access.map((record) => record.req_id)).size).toBe(access.length);
    // A line written while a request is handled carries that request's id.
    const registered = records.find((record) => typeof record.msg === 'string' && record.msg.startsWith('registered '));
    const registerAccess = access.find((record) => record.route === '/v1/register');
    expect(registered?.req_id).toBeDefined();
    expect(registered?.req_id).toBe(registerAccess?.req_id);
    const text = server.output();
    expect(text).not.toContain(auth);
    expect(text).not.toContain('envelope-text-never-logged');
    expect(text).not.toContain(bob.identity.addr);
  });

  it('writes readable lines by default, the access line at debug with the route pattern', async () => {
    server = await startServerProcess({ env: { LOG_LEVEL: 'debug', KEZ_CHAT_RELAYS: '' } });
    await registerUser(server.url, 'carol');
    await waitFor('the access line of the registration', () => server!.output().includes('POST /v1/register 201'));
    // Nest colours its lines; the words are what count here.
    const text = server.output().replace(/\x1b\[[0-9;]*m/g, '');
    expect(text).toMatch(/\[kez-chat\] .*serving /);
    expect(text).toMatch(/\[Access\] .*POST \/v1\/register 201 \d+ ms req=[0-9a-f-]{36}/);
    expect(() => JSON.parse(text.trim().split('\n')[0])).toThrow();
  });
});

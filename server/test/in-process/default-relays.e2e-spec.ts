import { http } from '../support/kez-http';
import { type InProcessServer, startInProcessServer } from '../support/in-process-server';

/** `GET /v1/relays` (docs/protocol.md §4, "Default relays"). */
describe('GET /v1/relays', () => {
  let server: InProcessServer | undefined;

  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it("lists this server's /relay first, then KEZ_CHAT_RELAYS normalised and without repeats", async () => {
    server = await startInProcessServer({
      env: { KEZ_CHAT_PUBLIC_URL: 'https://Chat.Example.org', KEZ_CHAT_RELAYS: 'ws://127.0.0.1:1/, wss://Relay.Two.test:443,ws://127.0.0.1:1' },
    });
    const response = await http(`${server.url}/v1/relays`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.body).toEqual({ relays: ['wss://chat.example.org/relay', 'ws://127.0.0.1:1', 'wss://relay.two.test'] });
  });

  it('derives its own relay URL from Host without a public URL, and lists only it when KEZ_CHAT_RELAYS is empty', async () => {
    server = await startInProcessServer({ env: { KEZ_CHAT_PUBLIC_URL: '', KEZ_CHAT_RELAYS: '' } });
    const response = await http(`${server.url}/v1/relays`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ relays: [`ws://${new URL(server.url).host}/relay`] });
  });
});

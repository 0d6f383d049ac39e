import { registerUser, send, streamAuth, streamUrl } from '../support/inbox-client';
import { subscribed, vapidPublicKey } from '../support/push-client';
import { PushReceiver } from '../support/push-receiver';
import { rawRequest } from '../support/raw-http';
import { type InProcessServer, startInProcessServer } from '../support/in-process-server';
import { waitFor } from '../support/wait-for';

/** HEAD on the stream (docs/protocol.md §4): answered at once, and never a live reader. */
describe('HEAD /v1/inbox/:handle/stream', () => {
  let server: InProcessServer;
  let receiver: PushReceiver;

  beforeAll(async () => {
    receiver = await PushReceiver.start();
    server = await startInProcessServer({ env: { KEZ_CHAT_PUSH_ALLOW_INSECURE: 'true' } });
    receiver.expectServerKey(await vapidPublicKey(server.url));
  });

  afterAll(async () => {
    await server?.stop();
    await receiver?.close();
  });

  it('answers with the stream’s status and headers and no body, counts no open stream, and lets the next message wake the device', async () => {
    const user = await registerUser(server.url, 'heady');
    const subscription = receiver.subscription();
    await subscribed(server.url, user, subscription);

    const url = new URL(streamUrl(server.url, user.handle, streamAuth(user)));
    const path = url.pathname + url.search;
    // rawRequest fails when no complete answer arrives: a HEAD that hung would fail here.
    const heads = await Promise.all([1, 2, 3].map(() => rawRequest(server.url, { method: 'HEAD', path })));
    for (const head of heads) {
      expect(head.status).toBe(200);
      expect(head.headers['content-type']).toBe('text/event-stream; charset=utf-8');
      expect(head.body.length).toBe(0);
    }

    const metrics = await rawRequest(server.url, { method: 'GET', path: '/v1/metrics' });
    expect(metrics.text).toMatch(/^kez_chat_open_streams 0$/m);

    await send(server.url, user.handle, { v: 2, enc: 'e', ct: 'c' });
    await waitFor('the push a recipient with no GET stream gets', () => receiver.pushesTo(subscription.endpoint).length === 1);
    expect(receiver.pushesTo(subscription.endpoint)[0].problems).toEqual([]);
  });
});

// The baseline for bench:relay: a bare `ws` server that does the least a relay
// must — parse each frame, answer an EVENT with OK to its sender and pass it to
// every connection that sent a REQ — with no checks, no storage and no AUTH.
// Usage: node -r esbuild-register echo-server.ts <port>
import { createServer } from 'node:http';

import { type WebSocket, WebSocketServer } from 'ws';

import { rawText } from '../../server/src/relay/raw-text';

const port = Number(process.argv[2]);
const subscribers = new Map<WebSocket, string>();
const server = createServer((request, response) => {
  // Same readiness probe as the real server, so one start-up helper fits both.
  response.writeHead(request.url === '/v1/healthz' ? 200 : 404).end();
});
const wss = new WebSocketServer({ server, path: '/relay' });

wss.on('connection', (ws) => {
  ws.on('message', (data) => {
    const message = JSON.parse(rawText(data)) as unknown[];
    if (message[0] === 'REQ') {
      subscribers.set(ws, message[1] as string);
      ws.send(JSON.stringify(['EOSE', message[1]]));
    } else if (message[0] === 'EVENT') {
      const event = message[1] as { id: string };
      ws.send(JSON.stringify(['OK', event.id, true, '']));
      for (const [subscriber, id] of subscribers) {
        subscriber.send(JSON.stringify(['EVENT', id, event]));
      }
    }
  });
  ws.on('close', () => subscribers.delete(ws));
});
server.listen(port, '127.0.0.1');

import { type IncomingHttpHeaders, request } from 'node:http';
import { connect } from 'node:net';

/** Longest wait for an answer: a bound that names the request, never a speed target. */
const ANSWER_WITHIN_MS = 30_000;

export interface RawRequest {
  method: string;
  /** Sent exactly as given: percent escapes are not normalised as `fetch` would. */
  path: string;
  headers?: Record<string, string>;
  /** Bytes sent as they are. */
  body?: Buffer | string;
}

export interface RawResult {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
  /** The parsed body, or undefined when it is not JSON. */
  json: any;
}

/**
 * One request over node:http, which (unlike fetch) sends the path, header bytes and
 * body exactly as given; header values are written one byte per Latin-1 character.
 * Rejects when no complete answer arrives within ANSWER_WITHIN_MS (a hang).
 */
export function rawRequest(baseUrl: string, req: RawRequest): Promise<RawResult> {
  const { hostname, port } = new URL(baseUrl);
  // A Buffer, because node:http writes a string body's first chunk together with the
  // headers in the body's encoding, which would turn header bytes into UTF-8.
  const body = req.body === undefined ? undefined : Buffer.from(req.body);
  const headers = { ...req.headers };
  if (body !== undefined && headers['transfer-encoding'] === undefined) {
    // Explicit, because node:http frames a DELETE or OPTIONS body with neither header.
    headers['content-length'] = String(body.length);
  }
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: hostname, port, method: req.method, path: req.path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        clearTimeout(timer);
        const body = Buffer.concat(chunks);
        const text = body.toString('utf8');
        let json: any;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text, json });
      });
      res.on('error', reject);
    });
    const timer = setTimeout(() => {
      outgoing.destroy();
      reject(new Error(`no complete answer to ${req.method} ${req.path.slice(0, 80)} within ${ANSWER_WITHIN_MS} ms`));
    }, ANSWER_WITHIN_MS);
    outgoing.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    outgoing.end(body);
  });
}

/**
 * Writes raw bytes on a fresh connection and returns everything the server sends
 * until it closes the connection (for framing no HTTP client would produce).
 */
export function rawExchange(baseUrl: string, bytes: Buffer | string): Promise<string> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server neither answered nor closed within ${ANSWER_WITHIN_MS} ms`));
    }, ANSWER_WITHIN_MS);
    socket.on('connect', () => socket.write(bytes));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
  });
}

/** The JSON body of a raw HTTP response text (`HTTP/1.1 …\r\n…\r\n\r\n<body>`). */
export function rawResponse(text: string): { status: number; head: string; json: any } {
  const split = text.indexOf('\r\n\r\n');
  const head = split < 0 ? text : text.slice(0, split);
  const body = split < 0 ? '' : text.slice(split + 4);
  let json: any;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), head, json };
}

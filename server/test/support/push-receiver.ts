import { createECDH, createPublicKey, type ECDH, randomBytes, verify } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

// http_ece has no type declarations; its decrypt is all this file needs.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ece = require('http_ece') as { decrypt(body: Buffer, params: Record<string, unknown>): Buffer };

/** How the receiver answers one push: a status, optionally `Retry-After`. */
export interface Answer {
  status: 201 | 404 | 410 | 413 | 429 | 500;
  retryAfter?: string;
}

/** One push as the receiver saw it. */
export interface ReceivedPush {
  endpoint: string;
  at: number;
  headers: IncomingHttpHeaders;
  /** The `TTL` header, in seconds. */
  ttl: number;
  /** What a push service would have refused this request for; empty for a valid empty VAPID push. */
  problems: string[];
  /** The decrypted payload when a body was sent (KEZ never sends one: this proves what leaked). */
  leaked?: string;
  answered: number;
}

interface Subscription {
  ecdh: ECDH;
  auth: Buffer;
  answers: Answer[];
}

const MAX_JWT_LIFETIME_SECONDS = 24 * 3600;

/**
 * A push service on loopback (plain HTTP: run the server with
 * KEZ_CHAT_PUSH_ALLOW_INSECURE=true). It checks what a real one checks — the
 * VAPID `Authorization: vapid t=<JWT>, k=<key>` (RFC 8292: ES256 by the server's
 * key, `aud` = this origin, `exp` within 24 h, `sub` mailto: or https:), `TTL`,
 * `Urgency` — records every push with what it found wrong, and answers as told.
 */
export class PushReceiver {
  readonly received: ReceivedPush[] = [];
  private readonly subscriptions = new Map<string, Subscription>();
  private inFlight = 0;
  private peak = 0;
  private serverKey?: string;
  /** While set, every answer waits for it (see holdAnswers). */
  private gate?: Promise<void>;
  private openGate?: () => void;
  private held = 0;

  private constructor(
    private readonly server: Server,
    readonly origin: string,
    /** How long each answer is held back, so concurrent requests overlap. */
    private readonly delayMs: number,
  ) {}

  static async start(options: { delayMs?: number } = {}): Promise<PushReceiver> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const receiver = new PushReceiver(server, `http://127.0.0.1:${port}`, options.delayMs ?? 0);
    server.on('request', (request: IncomingMessage, response: ServerResponse) => void receiver.handle(request, response));
    return receiver;
  }

  /** The VAPID public key (base64url, from GET /v1/push/vapid-public-key) every push must be signed with. */
  expectServerKey(publicKey: string): void {
    this.serverKey = publicKey;
  }

  /** A new browser subscription on this receiver, as `PushSubscription.toJSON()` gives it. */
  subscription(): { endpoint: string; keys: { p256dh: string; auth: string } } {
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    const auth = randomBytes(16);
    const endpoint = `${this.origin}/push/${randomBytes(12).toString('hex')}`;
    this.subscriptions.set(new URL(endpoint).pathname, { ecdh, auth, answers: [] });
    return { endpoint, keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') } };
  }

  /**
   * Accepts a subscription a browser made (the e2e push stand-in): its endpoint on this
   * receiver, its keys, and the base64url P-256 private key `d`, kept to decrypt payloads.
   */
  adopt(subscription: { endpoint: string; keys: { p256dh: string; auth: string } }, privateKey: string): void {
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(Buffer.from(privateKey, 'base64url'));
    if (ecdh.getPublicKey().toString('base64url') !== subscription.keys.p256dh) {
      throw new Error('the private key does not belong to p256dh');
    }
    this.subscriptions.set(new URL(subscription.endpoint).pathname, { ecdh, auth: Buffer.from(subscription.keys.auth, 'base64url'), answers: [] });
  }

  /** The next pushes to `endpoint` get these answers, in order; after them, 201. */
  answer(endpoint: string, ...answers: Answer[]): void {
    this.subscriptions.get(new URL(endpoint).pathname)!.answers.push(...answers);
  }

  pushesTo(endpoint: string): ReceivedPush[] {
    return this.received.filter((push) => push.endpoint === endpoint);
  }

  /** Most requests that were ever open at once. */
  get maxConcurrent(): number {
    return this.peak;
  }

  /**
   * Holds every answer, from now until the returned function is called: requests
   * are read and checked, then wait unanswered (and unrecorded in `received`). Lets
   * a test see what the server does while a push service has not answered yet.
   */
  holdAnswers(): () => void {
    this.gate ??= new Promise<void>((resolve) => (this.openGate = resolve));
    return () => this.releaseAnswers();
  }

  /** Requests read and waiting for their answer while answers are held. */
  get waiting(): number {
    return this.held;
  }

  close(): Promise<void> {
    this.releaseAnswers();
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    this.inFlight++;
    this.peak = Math.max(this.peak, this.inFlight);
    try {
      const body = await readBody(request);
      const path = request.url ?? '';
      const subscription = this.subscriptions.get(path);
      const endpoint = `${this.origin}${path}`;
      const problems = subscription ? this.check(request) : ['unknown subscription'];
      let leaked: string | undefined;
      if (body.length > 0) {
        problems.push(`a ${body.length}-byte body was sent`);
        leaked = subscription ? decrypt(body, subscription) : body.toString('base64');
      }
      const answer = subscription?.answers.shift() ?? { status: subscription ? 201 : 404 };
      await new Promise((resolve) => setTimeout(resolve, this.delayMs));
      if (this.gate) {
        this.held++;
        await this.gate;
        this.held--;
      }
      this.received.push({ endpoint, at: Date.now(), headers: request.headers, ttl: Number(request.headers.ttl), problems, leaked, answered: answer.status });
      response.writeHead(answer.status, answer.retryAfter ? { 'Retry-After': answer.retryAfter } : {});
      response.end();
    } finally {
      this.inFlight--;
    }
  }

  private releaseAnswers(): void {
    this.openGate?.();
    this.gate = this.openGate = undefined;
  }

  private check(request: IncomingMessage): string[] {
    const problems: string[] = [];
    if (request.method !== 'POST') {
      problems.push(`method ${request.method}`);
    }
    if (!/^\d+$/.test(String(request.headers.ttl ?? ''))) {
      problems.push(`TTL header missing or not a number: ${String(request.headers.ttl)}`);
    }
    if (request.headers.urgency !== 'high') {
      problems.push(`Urgency is ${String(request.headers.urgency)}, expected high`);
    }
    problems.push(...this.checkVapid(request.headers.authorization));
    return problems;
  }

  /** RFC 8292: `vapid t=<JWT>, k=<base64url P-256 key>`. */
  private checkVapid(authorization: string | undefined): string[] {
    const match = /^vapid t=([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+),\s*k=([A-Za-z0-9_-]+)$/.exec(authorization ?? '');
    if (!match) {
      return [`Authorization is not "vapid t=…, k=…": ${authorization}`];
    }
    const [, jwt, key] = match;
    const problems: string[] = [];
    if (this.serverKey !== undefined && key !== this.serverKey) {
      problems.push('k is not the server VAPID key');
    }
    const [headerPart, claimsPart, signature] = jwt.split('.');
    const header = JSON.parse(Buffer.from(headerPart, 'base64url').toString());
    const claims = JSON.parse(Buffer.from(claimsPart, 'base64url').toString());
    if (header.alg !== 'ES256') {
      problems.push(`JWT alg ${header.alg}`);
    }
    const point = Buffer.from(key, 'base64url');
    const publicKey = createPublicKey({
      key: { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33, 65).toString('base64url') },
      format: 'jwk',
    });
    const signed = Buffer.from(`${headerPart}.${claimsPart}`);
    if (!verify('sha256', signed, { key: publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'))) {
      problems.push('JWT signature does not verify');
    }
    if (claims.aud !== this.origin) {
      problems.push(`aud ${claims.aud} is not ${this.origin}`);
    }
    const now = Math.floor(Date.now() / 1000);
    if (!(typeof claims.exp === 'number' && claims.exp > now && claims.exp <= now + MAX_JWT_LIFETIME_SECONDS)) {
      problems.push(`exp ${claims.exp} is not within the next 24 h`);
    }
    if (!/^(mailto:|https:)/.test(String(claims.sub))) {
      problems.push(`sub ${claims.sub} is not a mailto: or https: URL`);
    }
    return problems;
  }
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/** RFC 8291 aes128gcm with the subscription's keys, as the browser would. */
function decrypt(body: Buffer, subscription: Subscription): string {
  try {
    return ece.decrypt(body, { version: 'aes128gcm', privateKey: subscription.ecdh, authSecret: subscription.auth.toString('base64url') }).toString();
  } catch (error) {
    return `<undecryptable: ${String(error)}>`;
  }
}

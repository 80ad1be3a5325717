import { once } from 'node:events';
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AddressPolicy, type HostResolver } from '../../../src/adapters/webhooks/address-policy.js';
import { HttpWebhookSender } from '../../../src/adapters/webhooks/http-webhook-sender.js';
import { WEBHOOK_HEADERS, verifySignature, webhookHeaders } from '../../../src/core/webhooks/webhook-signature.js';

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver on 127.0.0.1 that records what reaches it; each test says how it answers. */
class Receiver {
  readonly requests: Received[] = [];
  connections = 0;
  answer: (req: IncomingMessage, res: ServerResponse, body: string) => void = (_req, res) => res.end('thanks');
  private readonly server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    this.requests.push({ method: req.method!, url: req.url!, headers: req.headers, body });
    this.answer(req, res, body);
  });

  async start(): Promise<this> {
    this.server.on('connection', () => this.connections++);
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return this;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  url(path = '/hooks/tessera'): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

/** Resolves made-up names (unknown to the system resolver) to fixed addresses. */
const pinnedNames =
  (table: Record<string, string>): HostResolver =>
  async (hostname) => {
    if (!(hostname in table)) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
    return [{ address: table[hostname]!, family: 4 }];
  };

const secret = 'whsec_integration';
const body = JSON.stringify({ type: 'ticket.created', data: { id: 'a1b2', title: 'Ünïcode title' } });

describe('HttpWebhookSender against a real receiver', () => {
  let receiver: Receiver;
  const sender = (opts?: ConstructorParameters<typeof HttpWebhookSender>[1]) =>
    new HttpWebhookSender(new AddressPolicy(true), opts);

  beforeEach(async () => {
    receiver = await new Receiver().start();
  });
  afterEach(async () => {
    await receiver.stop();
  });

  it('POSTs the body and headers, and the receiver verifies the signature', async () => {
    const at = new Date();
    const headers = webhookHeaders({ secret, event: 'ticket.created', deliveryId: 'dlv-1', body, at });
    let verified: boolean | null = null;
    receiver.answer = (req, res, raw) => {
      verified = verifySignature(secret, raw, req.headers['tessera-signature'] as string, new Date());
      res.writeHead(verified ? 204 : 401).end();
    };

    const result = await sender().send({ url: receiver.url('/hooks/tessera?team=7'), body, headers });

    expect(result).toMatchObject({ ok: true, status: 204, error: null, responseBody: '' });
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    expect(verified).toBe(true);
    const [received] = receiver.requests;
    expect(received).toMatchObject({ method: 'POST', url: '/hooks/tessera?team=7', body });
    expect(received!.headers).toMatchObject({
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      'tessera-event': 'ticket.created',
      'tessera-delivery': 'dlv-1',
      'tessera-timestamp': headers[WEBHOOK_HEADERS.timestamp],
      'tessera-signature': headers[WEBHOOK_HEADERS.signature],
      host: `127.0.0.1:${receiver.port}`,
    });
  });

  it('keeps the response body of a 2xx answer', async () => {
    receiver.answer = (_req, res) => res.writeHead(202).end('queued');

    expect(await sender().send({ url: receiver.url(), body, headers: {} })).toMatchObject({
      ok: true,
      status: 202,
      responseBody: 'queued',
    });
  });

  it('connects to the pinned address but sends the original Host header, which callers cannot override', async () => {
    // hooks.tessera.test is unknown to the system resolver: the request arrives only through the pinned address.
    const policy = new AddressPolicy(true, pinnedNames({ 'hooks.tessera.test': '127.0.0.1' }));
    const url = `http://hooks.tessera.test:${receiver.port}/in`;

    const result = await new HttpWebhookSender(policy).send({ url, body, headers: { Host: 'admin.internal' } });

    expect(result.ok).toBe(true);
    expect(receiver.requests[0]!.headers.host).toBe(`hooks.tessera.test:${receiver.port}`);
  });

  it('reports a 500 as a failure with its status and body', async () => {
    receiver.answer = (_req, res) => res.writeHead(500).end('boom');

    expect(await sender().send({ url: receiver.url(), body, headers: {} })).toMatchObject({
      ok: false,
      status: 500,
      responseBody: 'boom',
      error: 'HTTP 500',
    });
  });

  it('does not follow a redirect', async () => {
    receiver.answer = (req, res) =>
      req.url === '/moved' ? res.end('followed') : res.writeHead(302, { location: '/moved' }).end();

    const result = await sender().send({ url: receiver.url('/original'), body, headers: {} });

    expect(result).toMatchObject({ ok: false, status: 302, error: 'redirect not followed' });
    expect(receiver.requests.map((r) => r.url)).toEqual(['/original']);
  });

  describe('on a fake clock (real sockets, timers advanced by the test)', () => {
    afterEach(() => vi.useRealTimers());

    /** Sends with a 300 ms deadline once `arrived` resolves; nothing settles at 299 ms, the timeout does at 300. */
    async function timesOutAtTheDeadline(arrived: Promise<unknown>) {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
      let settled = false;
      const sending = sender({ timeoutMs: 300 })
        .send({ url: receiver.url(), body, headers: {} })
        .finally(() => (settled = true));
      await arrived;
      await vi.advanceTimersByTimeAsync(299);
      expect(settled).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      const result = await sending;
      expect(result.durationMs).toBe(300);
      return result;
    }

    it('gives up with "timeout" when the receiver never answers, and closes the connection', async () => {
      let arrived!: () => void;
      let closed!: () => void;
      const closedByClient = new Promise<void>((resolve) => (closed = resolve));
      receiver.answer = (_req, res) => {
        res.on('close', closed);
        arrived();
      };

      const result = await timesOutAtTheDeadline(new Promise<void>((resolve) => (arrived = resolve)));

      expect(result).toMatchObject({ ok: false, status: null, responseBody: null, error: 'timeout' });
      await closedByClient;
      expect(receiver.requests).toHaveLength(1);
    });

    it('gives up with "timeout" when the response body trickles in too slowly', async () => {
      let arrived!: () => void;
      receiver.answer = (_req, res) => {
        res.writeHead(200, { 'content-length': '1000' });
        res.write('partial', () => arrived());
      };

      const result = await timesOutAtTheDeadline(new Promise<void>((resolve) => (arrived = resolve)));

      expect(result).toMatchObject({ ok: false, status: null, error: 'timeout' });
    });
  });

  it('keeps only maxResponseBytes of a large response', async () => {
    receiver.answer = (_req, res) => res.end('x'.repeat(200_000));

    const result = await sender({ maxResponseBytes: 1024 }).send({ url: receiver.url(), body, headers: {} });

    expect(result).toMatchObject({ ok: true, status: 200, error: null });
    expect(result.responseBody).toBe('x'.repeat(1024));
  });

  it('reports a receiver that hangs up in the middle of its answer', async () => {
    receiver.answer = (_req, res) => {
      res.writeHead(200, { 'content-length': '1000' });
      res.write('partial', () => res.socket?.destroy());
    };

    expect(await sender().send({ url: receiver.url(), body, headers: {} })).toMatchObject({
      ok: false,
      error: 'connection reset',
    });
  });

  it('refuses a loopback target without allowPrivate, before any connection is made', async () => {
    const strict = new HttpWebhookSender(new AddressPolicy(false));

    const result = await strict.send({ url: receiver.url(), body, headers: {} });

    expect(result).toMatchObject({ ok: false, status: null, error: 'refused target: loopback address' });
    expect(receiver.connections).toBe(0);
    expect(receiver.requests).toHaveLength(0);
  });

  it('refuses a name resolving to loopback without allowPrivate, before any connection is made', async () => {
    const strict = new HttpWebhookSender(new AddressPolicy(false));

    const result = await strict.send({ url: `http://localhost:${receiver.port}/`, body, headers: {} });

    expect(result.error).toBe('refused target: loopback address');
    expect(receiver.connections).toBe(0);
  });
});

describe('HttpWebhookSender without a listening receiver', () => {
  it('reports "connection refused" for a closed port', async () => {
    const probe = net.createServer().listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));

    const result = await new HttpWebhookSender(new AddressPolicy(true)).send({
      url: `http://127.0.0.1:${port}/`,
      body,
      headers: {},
    });

    expect(result).toMatchObject({ ok: false, status: null, error: 'connection refused' });
  });

  it('sends the host name as TLS SNI while connecting to the pinned address', async () => {
    // A bare TCP listener: the ClientHello (and so its SNI) arrives in the clear before any certificate is needed.
    let clientHello: Buffer = Buffer.alloc(0);
    const tlsPort = net.createServer((socket) => {
      socket.once('data', (chunk: Buffer) => {
        clientHello = chunk;
        socket.destroy();
      });
    });
    tlsPort.listen(0, '127.0.0.1');
    await once(tlsPort, 'listening');
    const { port } = tlsPort.address() as AddressInfo;
    const policy = new AddressPolicy(true, pinnedNames({ 'secure.tessera.test': '127.0.0.1' }));

    try {
      const result = await new HttpWebhookSender(policy).send({
        url: `https://secure.tessera.test:${port}/hook`,
        body,
        headers: {},
      });

      expect(clientHello[0]).toBe(0x16); // a TLS handshake record
      expect(clientHello.includes('secure.tessera.test')).toBe(true);
      expect(result).toMatchObject({ ok: false, status: null, error: 'connection reset' });
    } finally {
      await new Promise((resolve) => tlsPort.close(resolve));
    }
  });
});

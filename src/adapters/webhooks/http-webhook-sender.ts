import type { LookupAddress, LookupOptions } from 'node:dns';
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { validateWebhookUrl } from '../../core/webhooks/webhook-target.js';
import { type AddressPolicy, type ResolvedAddress, WebhookTargetRefusedError } from './address-policy.js';

export interface WebhookRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
}

export interface WebhookDeliveryResult {
  /** True only for a 2xx answer. */
  ok: boolean;
  /** The HTTP status, or null when no response arrived. */
  status: number | null;
  durationMs: number;
  /** The first maxResponseBytes of the response body (UTF-8), or null when no response arrived. */
  responseBody: string | null;
  /** Why the delivery failed ('timeout', 'connection refused', 'HTTP 500', …), or null when ok. */
  error: string | null;
}

export interface HttpWebhookSenderOptions {
  /** The whole attempt: DNS, connect, TLS, request and response body. */
  timeoutMs?: number;
  /** How much of the response body is kept; the rest is not read. */
  maxResponseBytes?: number;
}

const USER_AGENT = 'Tessera-Webhooks/1.0';

class DeliveryTimeout extends Error {}

/**
 * POSTs webhook payloads. The target's host is resolved once through the AddressPolicy and the socket connects to
 * exactly that address (a pinned `lookup`), while the Host header, TLS SNI and certificate check keep the original
 * host name. Redirects are not followed: a 3xx could point at an internal address. Never throws: every failure is
 * reported in the result.
 */
export class HttpWebhookSender {
  private readonly timeoutMs: number;
  private readonly maxResponseBytes: number;

  constructor(
    private readonly policy: AddressPolicy,
    opts: HttpWebhookSenderOptions = {},
  ) {
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.maxResponseBytes = opts.maxResponseBytes ?? 64 * 1024;
  }

  async send(input: WebhookRequest): Promise<WebhookDeliveryResult> {
    const started = performance.now();
    const result = (r: Partial<WebhookDeliveryResult>): WebhookDeliveryResult => ({
      ok: false,
      status: null,
      responseBody: null,
      error: null,
      ...r,
      durationMs: Math.round(performance.now() - started),
    });

    let target: URL;
    try {
      target = validateWebhookUrl(input.url);
    } catch {
      return result({ error: 'invalid url' });
    }

    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new DeliveryTimeout('timeout')), this.timeoutMs);
    try {
      const pinned = await untilAborted(this.policy.resolveAllowed(target.hostname), deadline.signal);
      const { status, body } = await this.post(target, pinned, input, deadline.signal);
      if (status >= 200 && status < 300) return result({ ok: true, status, responseBody: body });
      const error = status >= 300 && status < 400 ? 'redirect not followed' : `HTTP ${status}`;
      return result({ status, responseBody: body, error });
    } catch (error) {
      return result({ error: deadline.signal.aborted ? 'timeout' : describe(error) });
    } finally {
      clearTimeout(timer);
    }
  }

  private post(
    target: URL,
    pinned: ResolvedAddress,
    input: WebhookRequest,
    signal: AbortSignal,
  ): Promise<{ status: number; body: string }> {
    const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
    const secure = target.protocol === 'https:';
    const headers: OutgoingHttpHeaders = { 'content-type': 'application/json', 'user-agent': USER_AGENT };
    for (const [name, value] of Object.entries(input.headers)) headers[name.toLowerCase()] = value;
    delete headers['transfer-encoding']; // the body is sent whole, with the Content-Length below
    Object.assign(headers, {
      host: target.host, // the original name (and port), whatever address the socket connects to
      'content-length': Buffer.byteLength(input.body, 'utf8'),
      connection: 'close',
    });

    return new Promise((resolve, reject) => {
      const request = (secure ? https : http).request({
        protocol: target.protocol,
        host,
        port: target.port === '' ? (secure ? 443 : 80) : Number(target.port),
        path: `${target.pathname}${target.search}`,
        method: 'POST',
        headers,
        lookup: pinnedLookup(pinned),
        // SNI and the certificate check use the host name; SNI must not carry an IP literal.
        ...(secure && isIP(host) === 0 ? { servername: host } : {}),
        agent: false,
      });
      const abort = () => request.destroy(signal.reason as Error);
      if (signal.aborted) abort();
      signal.addEventListener('abort', abort, { once: true });
      const settle = () => signal.removeEventListener('abort', abort);

      request.on('error', (error) => {
        settle();
        reject(error);
      });
      request.on('response', (response: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        const done = () => {
          settle();
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
        };
        response.on('data', (chunk: Buffer) => {
          const room = this.maxResponseBytes - kept;
          if (room > 0) chunks.push(chunk.subarray(0, room));
          kept += Math.min(room, chunk.length);
          if (kept >= this.maxResponseBytes) {
            done();
            response.destroy(); // the rest of the body is of no interest
          }
        });
        response.on('end', done);
        const fail = (error: Error) => {
          settle();
          reject(error);
        };
        response.on('error', fail);
        // The peer hung up mid-body; a no-op when the body was complete or already truncated above.
        response.on('close', () => {
          if (!response.complete) fail(Object.assign(new Error('response aborted'), { code: 'ECONNRESET' }));
        });
      });
      request.end(input.body, 'utf8');
    });
  }
}

/** A dns.lookup replacement that always answers with the address the policy approved. */
function pinnedLookup(pinned: ResolvedAddress) {
  return (
    _hostname: string,
    options: LookupOptions,
    callback: (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
  ) => {
    if (options.all) callback(null, [{ address: pinned.address, family: pinned.family }]);
    else callback(null, pinned.address, pinned.family);
  };
}

/** Rejects with the signal's reason as soon as it aborts (dns.lookup itself cannot be cancelled). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', abort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}

const NETWORK_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection reset',
  ETIMEDOUT: 'timeout',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'dns lookup failed',
  EAI_FAIL: 'dns lookup failed',
  ENODATA: 'host not found',
  ERR_INVALID_CHAR: 'invalid request header',
  ERR_INVALID_HTTP_TOKEN: 'invalid request header',
};

/** A short, stable description of a failure; no stack, no internal addresses. */
function describe(error: unknown): string {
  if (error instanceof WebhookTargetRefusedError) return error.message;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string') {
    if (code in NETWORK_ERRORS) return NETWORK_ERRORS[code]!;
    if (code.startsWith('HPE_')) return 'invalid HTTP response';
    if (code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_') || /CERT|SIGNATURE|SELF_SIGNED/.test(code)) {
      return `TLS error (${code})`;
    }
    return `network error (${code})`;
  }
  return 'network error';
}

import { afterEach, describe, expect, it, vi } from 'vitest';
import { AddressPolicy, type HostResolver } from '../../../src/adapters/webhooks/address-policy.js';
import { HttpWebhookSender } from '../../../src/adapters/webhooks/http-webhook-sender.js';

// Failures decided before any socket opens; deliveries over real sockets are in test/integration/webhooks.
const request = (url: string) => ({ url, body: '{}', headers: {} });
const failNotFound: HostResolver = async (hostname) => {
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
};

describe('HttpWebhookSender before connecting', () => {
  it('reports an invalid URL instead of throwing', async () => {
    const sender = new HttpWebhookSender(new AddressPolicy(true, failNotFound));

    expect(await sender.send(request('ftp://example.com/x'))).toMatchObject({
      ok: false,
      status: null,
      responseBody: null,
      error: 'invalid url',
    });
  });

  it('reports a target the policy refuses, with the reason', async () => {
    const policy = new AddressPolicy(false, async () => [{ address: '192.168.0.10', family: 4 }]);

    const result = await new HttpWebhookSender(policy).send(request('https://router.example.com/hook'));

    expect(result).toMatchObject({ ok: false, status: null, error: 'refused target: private address' });
  });

  it('reports a name that does not resolve', async () => {
    const sender = new HttpWebhookSender(new AddressPolicy(false, failNotFound));

    expect((await sender.send(request('https://nowhere.example/hook'))).error).toBe('host not found');
  });

  describe('on a fake clock', () => {
    afterEach(() => vi.useRealTimers());

    it('counts a DNS lookup that never answers against the timeout: nothing settles before the deadline, the timeout does at it', async () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
      const hanging: HostResolver = () => new Promise(() => undefined);
      const sender = new HttpWebhookSender(new AddressPolicy(false, hanging), { timeoutMs: 50 });
      let settled = false;
      const sending = sender.send(request('https://slow-dns.example/hook')).finally(() => (settled = true));

      await vi.advanceTimersByTimeAsync(49);
      expect(settled).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      const result = await sending;

      expect(result).toMatchObject({ ok: false, status: null, error: 'timeout' });
      expect(result.durationMs).toBe(50);
    });
  });
});

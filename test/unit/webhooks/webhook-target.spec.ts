import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../src/core/shared/domain-error.js';
import { validateWebhookUrl } from '../../../src/core/webhooks/webhook-target.js';
import { failureOf } from '../failure-of.js';

describe('validateWebhookUrl', () => {
  it.each([
    ['https://hooks.example.com/tessera', 'https://hooks.example.com/tessera'],
    ['http://hooks.example.com:8080/in?team=7', 'http://hooks.example.com:8080/in?team=7'],
    ['  https://hooks.example.com/x  ', 'https://hooks.example.com/x'],
    ['HTTPS://Hooks.Example.COM', 'https://hooks.example.com/'],
    ['https://例え.jp/hook', 'https://xn--r8jz45g.jp/hook'],
    ['https://[2606:2800::1]:8443/hook', 'https://[2606:2800::1]:8443/hook'],
    // Syntax only: private and loopback hosts are the delivery adapter's business.
    ['http://127.0.0.1:3000/hook', 'http://127.0.0.1:3000/hook'],
  ])('accepts %s', (input, href) => {
    expect(validateWebhookUrl(input).href).toBe(href);
  });

  it.each([
    ['', 'must not be empty'],
    ['   ', 'must not be empty'],
    ['hooks.example.com/x', 'must be an absolute URL'],
    ['/relative/path', 'must be an absolute URL'],
    ['http://', 'must be an absolute URL'],
    ['https://exa mple.com/', 'whitespace or control characters'],
    ['https://example.com/a\nb', 'whitespace or control characters'],
    ['ftp://example.com/file', 'must use http or https'],
    ['file:///etc/passwd', 'must use http or https'],
    ['javascript:alert(1)', 'must use http or https'],
    ['gopher://127.0.0.1:6379/_INFO', 'must use http or https'],
    ['https://user:pass@example.com/', 'must not contain credentials'],
    ['https://user@example.com/', 'must not contain credentials'],
    ['https://trusted.example.com@evil.example.net/', 'must not contain credentials'],
    ['https://@example.com/', 'must not contain credentials'],
    ['https://example.com:0/', 'must not use port 0'],
    ['https://example.com:65536/', 'must be an absolute URL'],
    ['https://example.com/#frag', 'must not contain a fragment'],
    [`https://example.com/${'a'.repeat(2048)}`, 'at most 2048 characters'],
  ])('rejects %j: %s', async (input, message) => {
    const error = await failureOf(() => validateWebhookUrl(input));

    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).fieldErrors).toEqual([
      { field: 'url', message: expect.stringContaining(message) },
    ]);
  });

  it('accepts exactly 2048 characters', () => {
    const base = 'https://example.com/';
    expect(validateWebhookUrl(base + 'a'.repeat(2048 - base.length)).href).toHaveLength(2048);
  });

  it('rejects a URL the parser would grow past 2048 characters', async () => {
    const base = 'https://example.com/';
    const growing = base + 'é'.repeat(1000); // each é becomes %C3%A9
    expect(growing.length).toBeLessThanOrEqual(2048);
    expect(await failureOf(() => validateWebhookUrl(growing))).toBeInstanceOf(InvalidInputError);
  });
});

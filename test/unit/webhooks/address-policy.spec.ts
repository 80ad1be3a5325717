import { describe, expect, it } from 'vitest';
import {
  AddressPolicy,
  type HostResolver,
  WebhookTargetRefusedError,
  isForbiddenAddress,
} from '../../../src/adapters/webhooks/address-policy.js';
import { failureOf } from '../failure-of.js';

describe('isForbiddenAddress', () => {
  it.each([
    // IPv4
    ['127.0.0.1', 'loopback address'],
    ['127.255.255.254', 'loopback address'],
    ['0.0.0.0', 'unspecified address'],
    ['0.1.2.3', 'unspecified address'],
    ['10.0.0.1', 'private address'],
    ['10.255.255.255', 'private address'],
    ['172.16.0.1', 'private address'],
    ['172.31.255.255', 'private address'],
    ['192.168.1.1', 'private address'],
    ['169.254.169.254', 'link-local address'],
    ['169.254.0.1', 'link-local address'],
    ['100.64.0.1', 'shared address space (CGNAT)'],
    ['100.127.255.255', 'shared address space (CGNAT)'],
    ['100.100.100.200', 'shared address space (CGNAT)'],
    ['224.0.0.1', 'multicast address'],
    ['239.255.255.250', 'multicast address'],
    ['255.255.255.255', 'broadcast address'],
    ['240.0.0.1', 'reserved address'],
    ['192.0.0.192', 'reserved address'],
    ['192.0.2.10', 'reserved address'],
    ['198.18.0.1', 'reserved address'],
    // IPv6
    ['::1', 'loopback address'],
    ['0:0:0:0:0:0:0:1', 'loopback address'],
    ['::', 'unspecified address'],
    ['fc00::1', 'private address'],
    ['fd12:3456:789a::1', 'private address'],
    ['fd00:ec2::254', 'private address'],
    ['fe80::1', 'link-local address'],
    ['fe80::1%eth0', 'link-local address'],
    ['FEBF::1', 'link-local address'],
    ['ff02::1', 'multicast address'],
    ['2001:db8::1', 'reserved address'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'reserved address'],
    // IPv4 inside IPv6
    ['::ffff:127.0.0.1', 'loopback address'],
    ['::ffff:7f00:1', 'loopback address'],
    ['::FFFF:10.0.0.1', 'private address'],
    ['::ffff:169.254.169.254', 'link-local address'],
    ['0:0:0:0:0:ffff:a9fe:a9fe', 'link-local address'],
    ['::ffff:0:10.0.0.1', 'private address'],
    ['::127.0.0.1', 'loopback address'],
    ['::8.8.8.8', 'reserved address'],
    ['64:ff9b::127.0.0.1', 'loopback address'],
    ['64:ff9b::a9fe:a9fe', 'link-local address'],
    ['64:ff9b:1::1', 'private address'],
    ['2002:7f00:1::', 'loopback address'],
    ['2002:c0a8:101::1', 'private address'],
    // Not an address at all
    ['localhost', 'not an IP address'],
    ['', 'not an IP address'],
    ['0127.0.0.1', 'not an IP address'],
  ])('refuses %s: %s', (ip, reason) => {
    expect(isForbiddenAddress(ip)).toBe(reason);
  });

  it.each([
    '93.184.216.34',
    '8.8.8.8',
    '1.1.1.1',
    '172.15.255.255', // just below 172.16/12
    '172.32.0.0', // just above it
    '100.63.255.255', // just below 100.64/10
    '100.128.0.0', // just above it
    '169.253.255.255',
    '223.255.255.255', // just below multicast
    '2606:2800::1',
    '2606:4700:4700::1111',
    '2a00:1450:4001:82a::200e',
    '::ffff:93.184.216.34',
    '64:ff9b::93.184.216.34',
    '2002:5db8:d822::1', // 6to4 carrying 93.184.216.34
  ])('allows the public address %s', (ip) => {
    expect(isForbiddenAddress(ip)).toBeNull();
  });
});

/** A resolver that answers from a fixed table, like /etc/hosts. */
function resolver(table: Record<string, string[]>): HostResolver {
  return async (hostname) => {
    const addresses = table[hostname];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
}

describe('AddressPolicy.resolveAllowed', () => {
  it('refuses localhost (real resolver) unless private addresses are allowed', async () => {
    const error = await failureOf(() => new AddressPolicy(false).resolveAllowed('localhost'));
    expect(error).toBeInstanceOf(WebhookTargetRefusedError);
    expect(error.message).toBe('refused target: loopback address');

    const allowed = await new AddressPolicy(true).resolveAllowed('localhost');
    expect(isForbiddenAddress(allowed.address)).toBe('loopback address');
    expect([4, 6]).toContain(allowed.family);
  });

  it('returns the first resolved address when every address is public', async () => {
    const policy = new AddressPolicy(false, resolver({ 'hooks.example.com': ['93.184.216.34', '2606:2800::1'] }));

    expect(await policy.resolveAllowed('hooks.example.com')).toEqual({ address: '93.184.216.34', family: 4 });
  });

  it('refuses a name when any one of its addresses is forbidden', async () => {
    const policy = new AddressPolicy(false, resolver({ 'mixed.example.com': ['93.184.216.34', '10.0.0.7'] }));

    const error = await failureOf(() => policy.resolveAllowed('mixed.example.com'));
    expect(error).toBeInstanceOf(WebhookTargetRefusedError);
    expect((error as WebhookTargetRefusedError).reason).toBe('private address');
    expect(error.message).not.toContain('10.0.0.7');
  });

  it('judges IP literals (bracketed IPv6 included) without asking DNS', async () => {
    const policy = new AddressPolicy(false, resolver({}));

    expect(await policy.resolveAllowed('93.184.216.34')).toEqual({ address: '93.184.216.34', family: 4 });
    expect(await policy.resolveAllowed('[2606:2800::1]')).toEqual({ address: '2606:2800::1', family: 6 });
    expect((await failureOf(() => policy.resolveAllowed('[::ffff:7f00:1]'))).message).toBe(
      'refused target: loopback address',
    );
    expect((await failureOf(() => policy.resolveAllowed('169.254.169.254'))).message).toBe(
      'refused target: link-local address',
    );
  });

  it('allows private addresses when configured to', async () => {
    const policy = new AddressPolicy(true, resolver({ 'intranet.local': ['10.1.2.3'] }));

    expect(await policy.resolveAllowed('intranet.local')).toEqual({ address: '10.1.2.3', family: 4 });
  });

  it('passes a DNS failure through unchanged', async () => {
    const error = await failureOf(() => new AddressPolicy(false, resolver({})).resolveAllowed('nowhere.example'));

    expect(error).not.toBeInstanceOf(WebhookTargetRefusedError);
    expect((error as NodeJS.ErrnoException).code).toBe('ENOTFOUND');
  });

  it('refuses a name that resolves to nothing usable', async () => {
    const empty = new AddressPolicy(true, async () => []);

    expect((await failureOf(() => empty.resolveAllowed('void.example'))).message).toBe(
      'refused target: no usable address',
    );
  });
});

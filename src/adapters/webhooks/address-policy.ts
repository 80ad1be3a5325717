import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/** A webhook target resolved to an address the policy refuses; the message names the reason only. */
export class WebhookTargetRefusedError extends Error {
  readonly code = 'WEBHOOK_TARGET_REFUSED';
  constructor(readonly reason: string) {
    super(`refused target: ${reason}`);
    this.name = 'WebhookTargetRefusedError';
  }
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to all its addresses (dns.lookup semantics: /etc/hosts, then DNS). */
export type HostResolver = (hostname: string) => Promise<readonly { address: string; family: number }[]>;

const systemResolver: HostResolver = (hostname) => lookup(hostname, { all: true, verbatim: true });

type Rule = readonly [cidr: string, reason: string];

const IPV4_RULES: readonly Rule[] = [
  ['0.0.0.0/8', 'unspecified address'],
  ['127.0.0.0/8', 'loopback address'],
  ['10.0.0.0/8', 'private address'],
  ['172.16.0.0/12', 'private address'],
  ['192.168.0.0/16', 'private address'],
  ['169.254.0.0/16', 'link-local address'], // includes the cloud metadata service, 169.254.169.254
  ['100.64.0.0/10', 'shared address space (CGNAT)'], // includes Alibaba's metadata service, 100.100.100.200
  ['224.0.0.0/4', 'multicast address'],
  ['255.255.255.255/32', 'broadcast address'],
  ['240.0.0.0/4', 'reserved address'],
  ['192.0.0.0/24', 'reserved address'], // IETF protocol assignments (incl. Oracle's metadata, 192.0.0.192)
  ['192.0.2.0/24', 'reserved address'], // documentation
  ['198.51.100.0/24', 'reserved address'], // documentation
  ['203.0.113.0/24', 'reserved address'], // documentation
  ['198.18.0.0/15', 'reserved address'], // benchmarking
  ['192.88.99.0/24', 'reserved address'], // deprecated 6to4 relay anycast
];

// Ranges that embed an IPv4 address (mapped, NAT64, 6to4, …) are not listed: they are judged by the embedded address.
const IPV6_RULES: readonly Rule[] = [
  ['::/128', 'unspecified address'],
  ['::1/128', 'loopback address'],
  ['fc00::/7', 'private address'], // unique local (incl. AWS's IPv6 metadata service, fd00:ec2::254)
  ['fec0::/10', 'private address'], // deprecated site-local
  ['fe80::/10', 'link-local address'],
  ['ff00::/8', 'multicast address'],
  ['64:ff9b:1::/48', 'private address'], // local-use NAT64: may translate to anything inside the network
  ['100::/64', 'reserved address'], // discard-only
  ['2001::/32', 'reserved address'], // Teredo: tunnels to an obfuscated IPv4 address
  ['2001:db8::/32', 'reserved address'], // documentation
  ['3fff::/20', 'reserved address'], // documentation
];

/** One BlockList per reason, in rule order, so a match can name why. Each table is asked about its own family. */
function compile(rules: readonly Rule[], family: 'ipv4' | 'ipv6'): { reason: string; list: BlockList }[] {
  const byReason = new Map<string, BlockList>();
  for (const [cidr, reason] of rules) {
    const [network, prefix] = cidr.split('/') as [string, string];
    const list = byReason.get(reason) ?? new BlockList();
    list.addSubnet(network, Number(prefix), family);
    byReason.set(reason, list);
  }
  return [...byReason].map(([reason, list]) => ({ reason, list }));
}

const IPV4_TABLE = compile(IPV4_RULES, 'ipv4');
const IPV6_TABLE = compile(IPV6_RULES, 'ipv6');

/**
 * Why a webhook may not be delivered to `ip`, or null when it is a public unicast address. IPv6 addresses that
 * embed an IPv4 address (IPv4-mapped ::ffff:a.b.c.d, IPv4-translated, the deprecated IPv4-compatible ::a.b.c.d,
 * NAT64 64:ff9b::/96 and 6to4 2002::/16) are judged by the IPv4 address they carry.
 */
export function isForbiddenAddress(ip: string): string | null {
  const address = ip.includes('%') ? ip.slice(0, ip.indexOf('%')) : ip; // a zone id only scopes link-local/multicast
  const family = isIP(address);
  if (family === 4) return ipv4Reason(address);
  if (family !== 6) return 'not an IP address';

  const groups = ipv6Groups(address);
  // Checked first: :: and ::1 also lie inside the IPv4-compatible range below.
  for (const { reason, list } of IPV6_TABLE) if (list.check(address, 'ipv6')) return reason;

  const embedded = embeddedIpv4(groups);
  if (embedded) return ipv4Reason(embedded.ipv4) ?? (embedded.deprecated ? 'reserved address' : null);
  return null;
}

function ipv4Reason(ipv4: string): string | null {
  for (const { reason, list } of IPV4_TABLE) if (list.check(ipv4, 'ipv4')) return reason;
  return null;
}

/** The IPv4 address an IPv6 address carries by a standard translation or tunnelling scheme, if any. */
function embeddedIpv4(g: readonly number[]): { ipv4: string; deprecated: boolean } | null {
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
  const last32 = () => v4(g[6]!, g[7]!);
  if (zeros(0, 5) && g[5] === 0xffff) return { ipv4: last32(), deprecated: false }; // ::ffff:0:0/96 mapped
  if (zeros(0, 4) && g[4] === 0xffff && g[5] === 0) return { ipv4: last32(), deprecated: false }; // translated
  if (zeros(0, 6)) return { ipv4: last32(), deprecated: true }; // ::/96 IPv4-compatible
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return { ipv4: last32(), deprecated: false }; // NAT64
  if (g[0] === 0x2002) return { ipv4: v4(g[1]!, g[2]!), deprecated: false }; // 6to4
  return null;
}

/** The eight 16-bit groups of a valid IPv6 address (as accepted by net.isIP), dotted-quad tails included. */
function ipv6Groups(address: string): number[] {
  let text = address.toLowerCase();
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((h) => parseInt(h, 16)));
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  return [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
}

/**
 * Decides where a webhook may be delivered. resolveAllowed returns the one address to connect to, so the
 * connection goes to exactly the address that was checked (a second DNS answer cannot rebind it elsewhere).
 * With allowPrivate (local development, tests) every address is allowed.
 */
export class AddressPolicy {
  constructor(
    private readonly allowPrivate: boolean,
    private readonly resolve: HostResolver = systemResolver,
  ) {}

  async resolveAllowed(hostname: string): Promise<ResolvedAddress> {
    const host = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
    const literal = isIP(host);
    const answers = literal ? [{ address: host, family: literal }] : await this.resolve(host);
    const addresses = answers.filter(
      (a): a is ResolvedAddress => (a.family === 4 || a.family === 6) && isIP(a.address) === a.family,
    );
    if (addresses.length === 0) throw new WebhookTargetRefusedError('no usable address');
    if (!this.allowPrivate) {
      // Every answer is checked, not only the first: a client may fall back to any of them.
      for (const { address } of addresses) {
        const reason = isForbiddenAddress(address);
        if (reason) throw new WebhookTargetRefusedError(reason);
      }
    }
    return { address: addresses[0]!.address, family: addresses[0]!.family };
  }
}

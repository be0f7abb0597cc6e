import { lookup } from 'node:dns';
import { BlockList, type LookupFunction, isIP } from 'node:net';

/**
 * Addresses a webhook must not reach when private targets are refused:
 * "this" network, private (RFC 1918, ULA), shared (CGNAT), loopback,
 * link-local (cloud metadata lives there), documentation, benchmarking,
 * multicast and reserved ranges. IPv4-mapped IPv6 addresses match the IPv4 rules.
 */
const NON_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  NON_PUBLIC.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  NON_PUBLIC.addSubnet(network, prefix, 'ipv6');
}

export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  return !NON_PUBLIC.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export class TargetRefusedError extends Error {
  constructor(host: string, address: string) {
    super(`refused: ${host} is or resolves to the non-public address ${address} (WEBHOOK_ALLOW_PRIVATE_TARGETS=0)`);
    this.name = 'TargetRefusedError';
  }
}

/** The address in a URL's host when it is an IP literal (brackets of IPv6 removed), else undefined. */
export function ipLiteral(hostname: string): string | undefined {
  const bare = hostname.replace(/^\[(.*)\]$/, '$1');
  return isIP(bare) ? bare : undefined;
}

/** A host we can refuse without asking DNS: an IP literal or localhost. */
export function obviouslyPrivateHost(hostname: string): boolean {
  const literal = ipLiteral(hostname);
  if (literal) return !isPublicAddress(literal);
  return hostname === 'localhost' || hostname.endsWith('.localhost');
}

/**
 * dns.lookup for the HTTP client that fails when any resolved address is
 * non-public. Checking the addresses the socket will actually connect to
 * (rather than resolving once beforehand) leaves no window for DNS rebinding.
 */
export const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, '', 0);
    const refused = addresses.find((a) => !isPublicAddress(a.address));
    if (refused) return callback(new TargetRefusedError(hostname, refused.address), '', 0);
    if (options.all) return (callback as unknown as (e: null, all: typeof addresses) => void)(null, addresses);
    const first = addresses[0];
    if (!first) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '', 0);
    callback(null, first.address, first.family);
  });
};

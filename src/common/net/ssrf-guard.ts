import ipaddr from 'ipaddr.js';
import { lookup as dnsLookup, LookupAddress, LookupOptions } from 'node:dns';
import { isIP } from 'node:net';
import { Agent } from 'undici';

/** Who may be reached: public unicast addresses only, unless opened for private ones or by host. */
export interface EgressPolicy {
  allowPrivateNetworks: boolean;
  /** Host names (or IP literals) exempt from the address check, lower-case. */
  allowedHosts: string[];
  /** The setting that exempts a host (named in refusals so an operator knows what to change). */
  allowSetting?: string;
}

export class EgressRefusedError extends Error {
  readonly code = 'EGRESS_REFUSED';
  constructor(
    readonly target: string,
    readonly reason: string,
  ) {
    super(`Refused to connect to ${target}: ${reason}`);
    this.name = 'EgressRefusedError';
  }
}

/**
 * The address classes a server-side request must never reach: loopback, RFC 1918 private,
 * link-local (incl. 169.254.169.254 cloud metadata), CGNAT, multicast, broadcast, reserved,
 * unspecified, IPv6 ULA/link-local, and IPv6 forms that embed an IPv4 address. Only ipaddr's
 * `unicast` class (public) passes; an IPv4-mapped or IPv4-compatible IPv6 address is judged as
 * its IPv4 self.
 */
export function addressClass(ip: string): string {
  let addr = ipaddr.parse(ip);
  if (addr.kind() === 'ipv6') {
    const v6 = addr as ipaddr.IPv6;
    const p = v6.parts;
    // IPv4-compatible addresses (deprecated ::a.b.c.d, RFC 4291) count as their IPv4 address:
    // ipaddr.js calls ::7f00:1 "unicast", and hosts with a 6-in-4 tunnel route it to 127.0.0.1.
    const compatible = p.slice(0, 6).every((x) => x === 0) && (p[6] !== 0 || p[7] > 1);
    if (v6.isIPv4MappedAddress() || compatible)
      addr = ipaddr.IPv4.parse([p[6] >> 8, p[6] & 255, p[7] >> 8, p[7] & 255].join('.'));
  }
  return addr.range();
}

export function isPublicAddress(ip: string): boolean {
  return addressClass(ip) === 'unicast';
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

export class SsrfGuard {
  private readonly allowed: Set<string>;

  constructor(private readonly policy: EgressPolicy) {
    this.allowed = new Set(policy.allowedHosts.map((h) => stripBrackets(h.toLowerCase())));
  }

  /**
   * Checks one resolved address for a host; throws EgressRefusedError when it is off limits.
   * The address is named only when it is the host itself (an IP literal): what an internal host
   * name resolves to is not told to the user who submitted it.
   */
  checkAddress(host: string, address: string): void {
    if (this.policy.allowPrivateNetworks || this.allowed.has(stripBrackets(host.toLowerCase()))) return;
    const cls = addressClass(address);
    if (cls === 'unicast') return;
    const literal = isIP(stripBrackets(host)) !== 0;
    const what = literal ? `${address} is a ${cls} address` : `the name resolves to a ${cls} address`;
    const hint = this.policy.allowSetting
      ? ` (private and reserved addresses are blocked; ${this.policy.allowSetting} exempts a host)`
      : '';
    throw new EgressRefusedError(host, `${what}${hint}`);
  }

  /**
   * Validates a URL before any connection: http(s) only, and an IP-literal host is checked here
   * because the connector does not resolve literals.
   */
  assertUrl(raw: string | URL): URL {
    const url = typeof raw === 'string' ? new URL(raw) : raw;
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new EgressRefusedError(url.toString(), `scheme ${url.protocol} is not allowed`);
    }
    const host = stripBrackets(url.hostname);
    if (isIP(host)) this.checkAddress(host, host);
    return url;
  }

  /** dns.lookup replacement for sockets: refuses the connection unless every address is allowed. */
  readonly lookup = (
    hostname: string,
    options: LookupOptions,
    callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
  ): void => {
    const opts = options ?? {};
    dnsLookup(hostname, { ...opts, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      try {
        // Every address, not just the first: a mixed answer is a classic rebinding trick.
        for (const a of addresses) this.checkAddress(hostname, a.address);
      } catch (refused) {
        return callback(refused as NodeJS.ErrnoException, '', 0);
      }
      if (opts.all) return callback(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };

  /**
   * An undici dispatcher whose sockets connect only to addresses this guard approved in the
   * same lookup, so there is no window between the check and the connection (DNS rebinding).
   * Redirects must be followed by the caller (redirect: 'manual') so each hop is re-checked.
   */
  createDispatcher(options: Agent.Options = {}): Agent {
    return new Agent({ ...options, connect: { ...(options.connect as object), lookup: this.lookup } });
  }
}

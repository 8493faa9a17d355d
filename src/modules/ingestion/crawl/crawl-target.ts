import { Injectable } from '@nestjs/common';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { parse } from 'tldts';
import { Fetcher } from './fetcher';

/** How long a submission waits for DNS; an unresolved name is accepted and checked again at connect time. */
const LOOKUP_TIMEOUT_MS = 2000;

/**
 * Checks made when a source is submitted, so a crawl that could never run is refused with a
 * reason instead of ending "completed, 0 pages". The connect-time check in the fetcher stays
 * the real guard (DNS can change between submission and crawl).
 */
@Injectable()
export class CrawlTargetCheck {
  constructor(private readonly fetcher: Fetcher) {}

  /** Throws EgressRefusedError when the SSRF guard would refuse the start URL's address. */
  async assertReachable(url: URL): Promise<void> {
    this.fetcher.guard.assertUrl(url);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host)) return;
    for (const address of await this.resolve(host)) this.fetcher.guard.checkAddress(host, address);
  }

  /** The addresses of a host name; none when it does not resolve (in time). */
  async resolve(host: string): Promise<string[]> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<[]>((r) => (timer = setTimeout(() => r([]), LOOKUP_TIMEOUT_MS)));
    const answer = lookup(host, { all: true }).then(
      (a) => a.map((x) => x.address),
      () => [] as string[],
    );
    try {
      return await Promise.race([answer, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** True for a bare public suffix (com, co.uk, github.io): "it and its subdomains" would be half the web. */
  isPublicSuffix(domain: string): boolean {
    const d = domain.toLowerCase().replace(/\.$/, '');
    if (isIP(d.replace(/^\[|\]$/g, ''))) return false;
    const p = parse(d, { allowPrivateDomains: true });
    return p.publicSuffix === d && (p.isIcann === true || p.isPrivate === true);
  }
}

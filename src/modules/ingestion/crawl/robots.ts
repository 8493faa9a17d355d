import robotsParser from 'robots-parser';
import type { Fetcher } from './fetcher';

export interface RobotsRules {
  allowed(url: string): boolean;
  crawlDelayMs: number;
  sitemaps: string[];
}

const ALLOW_ALL: RobotsRules = { allowed: () => true, crawlDelayMs: 0, sitemaps: [] };
const DENY_ALL: RobotsRules = { allowed: () => false, crawlDelayMs: 0, sitemaps: [] };

/**
 * robots.txt for an origin, read as RFC 9309 says: 4xx means no rules, a server error or an
 * unreachable server means "disallow everything" for this crawl.
 */
export async function loadRobots(fetcher: Fetcher, origin: string, userAgent: string, maxDelayMs: number, signal?: AbortSignal): Promise<RobotsRules> {
  const url = `${origin}/robots.txt`;
  const res = await fetcher.fetch(url, { anyType: true, signal, allowTarget: (u) => u.origin === origin });
  if (res.kind === 'failed') return res.status !== null && res.status < 500 ? ALLOW_ALL : DENY_ALL;
  if (res.kind !== 'ok') return ALLOW_ALL;
  const robots = robotsParser(url, res.body);
  const delay = robots.getCrawlDelay(userAgent);
  return {
    allowed: (u) => robots.isAllowed(u, userAgent) !== false,
    crawlDelayMs: Math.min(typeof delay === 'number' && delay > 0 ? delay * 1000 : 0, maxDelayMs),
    sitemaps: robots.getSitemaps(),
  };
}

/** `<loc>` entries of a sitemap (or sitemap index: its entries are other sitemaps, read one level deep). */
export function sitemapLocations(xml: string): string[] {
  return [...xml.matchAll(/<loc>\s*([^<\s]+)\s*<\/loc>/gi)].map((m) => m[1].replace(/&amp;/g, '&'));
}

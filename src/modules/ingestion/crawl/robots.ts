import robotsParser from 'robots-parser';
import type { Fetcher } from './fetcher';

export interface RobotsRules {
  allowed(url: string): boolean;
  crawlDelayMs: number;
  sitemaps: string[];
  /** Why everything is disallowed when robots.txt could not be read (and whether the SSRF guard refused it). */
  unreachable?: { error: string; refused: boolean };
}

const ALLOW_ALL: RobotsRules = { allowed: () => true, crawlDelayMs: 0, sitemaps: [] };
const denyAll = (error: string, refused: boolean): RobotsRules => ({
  allowed: () => false,
  crawlDelayMs: 0,
  sitemaps: [],
  unreachable: { error, refused },
});

/**
 * robots.txt for an origin, read as RFC 9309 says: 4xx means no rules, a server error or an
 * unreachable server means "disallow everything" for this crawl.
 */
export async function loadRobots(
  fetcher: Fetcher,
  origin: string,
  userAgent: string,
  maxDelayMs: number,
  signal?: AbortSignal,
): Promise<RobotsRules> {
  const url = `${origin}/robots.txt`;
  const res = await fetcher.fetch(url, { anyType: true, signal, allowTarget: (u) => u.origin === origin });
  if (res.kind === 'failed')
    return res.status !== null && res.status < 500 && !res.refused
      ? ALLOW_ALL
      : denyAll(res.error, res.refused ?? false);
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

import { CrawlTargetCheck } from './crawl-target';
import type { Fetcher } from './fetcher';

describe('CrawlTargetCheck.isPublicSuffix (public suffix list via tldts)', () => {
  const check = new CrawlTargetCheck({} as Fetcher);
  it('refuses bare public suffixes, ICANN and private ones', () => {
    for (const d of ['com', 'COM', 'co.uk', 'github.io', 'com.', 'org'])
      expect([d, check.isPublicSuffix(d)]).toEqual([d, true]);
  });
  it("accepts a site's own domain, IP literals and unlisted internal names", () => {
    for (const d of [
      'example.com',
      'docs.example.co.uk',
      'me.github.io',
      '127.0.0.1',
      '[::1]',
      'intranet',
      'wiki.corp',
    ])
      expect([d, check.isPublicSuffix(d)]).toEqual([d, false]);
  });
});

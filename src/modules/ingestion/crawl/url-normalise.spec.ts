import fc from 'fast-check';
import { inDomain, normaliseUrl, onStartPort, pathAllowed } from './url-normalise';

const urlArb = fc.webUrl({ withFragments: true, withQueryParameters: true });

describe('normaliseUrl', () => {
  it('is idempotent', () => {
    fc.assert(
      fc.property(urlArb, (u) => {
        const once = normaliseUrl(u);
        return once === null || normaliseUrl(once) === once;
      }),
    );
  });

  it('ignores the fragment', () => {
    fc.assert(
      fc.property(urlArb, fc.string({ minLength: 1 }), (u, frag) => {
        const bare = u.split('#')[0];
        return normaliseUrl(`${bare}#${encodeURIComponent(frag)}`) === normaliseUrl(bare);
      }),
    );
  });

  it('does not depend on query parameter order or tracking parameters', () => {
    const kv = fc.tuple(fc.stringMatching(/^[a-z]{1,6}$/), fc.stringMatching(/^[a-z0-9]{0,6}$/));
    fc.assert(
      fc.property(
        fc.uniqueArray(kv, { selector: (p) => p[0], maxLength: 6 }),
        fc.stringMatching(/^[a-z]{1,8}$/),
        (pairs, campaign) => {
          const q = (ps: [string, string][]) => ps.map(([k, v]) => `${k}=${v}`).join('&');
          const a = normaliseUrl(`https://example.com/p?${q(pairs)}`);
          const b = normaliseUrl(`https://example.com/p?utm_source=${campaign}&${q([...pairs].reverse())}&fbclid=x`);
          return a === b;
        },
      ),
    );
  });

  it('lower-cases scheme and host and drops default ports', () => {
    fc.assert(
      fc.property(fc.domain(), (d) => {
        const upper = d.toUpperCase();
        return (
          normaliseUrl(`HTTP://${upper}:80/x`) === normaliseUrl(`http://${d}/x`) &&
          normaliseUrl(`https://${upper}:443/x`) === `https://${d}/x`
        );
      }),
    );
  });

  it('resolves relative links and refuses other schemes', () => {
    expect(normaliseUrl('../b?z=1&a=2#top', 'http://h.test/x/y/')).toBe('http://h.test/x/b?a=2&z=1');
    expect(normaliseUrl('mailto:a@b.c')).toBeNull();
    expect(normaliseUrl('javascript:alert(1)')).toBeNull();
    expect(normaliseUrl('http://h.test/a/')).toBe('http://h.test/a/');
    expect(normaliseUrl('http://h.test?')).toBe('http://h.test/');
  });
});

describe('scope', () => {
  it('keeps the crawl on the domain, subdomains only when asked', () => {
    expect(inDomain('Docs.Example.com', 'example.com', false)).toBe(false);
    expect(inDomain('docs.example.com', 'example.com', true)).toBe(true);
    expect(inDomain('badexample.com', 'example.com', true)).toBe(false);
    expect(pathAllowed('/docs/a', ['/docs'], ['/docs/private'])).toBe(true);
    expect(pathAllowed('/docs/private/x', ['/docs'], ['/docs/private'])).toBe(false);
    expect(pathAllowed('/blog', ['/docs'], [])).toBe(false);
  });
});

describe('port scope', () => {
  const on = (u: string, start: string) => onStartPort(new URL(u), new URL(start));
  it("keeps to the start URL's port; a default-port start admits only the https upgrade", () => {
    expect(on('http://h.test:8080/a', 'http://h.test:8080/')).toBe(true);
    expect(on('http://h.test:8081/a', 'http://h.test:8080/')).toBe(false);
    expect(on('http://h.test/a', 'http://h.test:8080/')).toBe(false);
    expect(on('https://h.test:8080/a', 'http://h.test:8080/')).toBe(false);
    expect(on('https://h.test/a', 'http://h.test/')).toBe(true);
    expect(on('http://h.test/a', 'https://h.test/')).toBe(false);
    expect(on('http://h.test:3000/a', 'http://h.test/')).toBe(false);
  });
});

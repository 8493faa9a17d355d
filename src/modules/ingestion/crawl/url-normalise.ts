/**
 * URL normalisation used as the page identity (unique per source): lower-case scheme and host
 * (the URL parser does that), default port dropped, fragment dropped, tracking parameters
 * dropped, remaining query parameters sorted (stable for equal keys), empty query removed.
 * Trailing slash policy: kept as served, because `/a` and `/a/` are different resources on
 * most static servers (the relative links inside them resolve differently); identical content
 * under both is caught by the content-hash dedupe instead.
 */
const TRACKING = /^(utm_[a-z0-9_]*|gclid|dclid|fbclid|msclkid|mc_cid|mc_eid|_ga|_gl|yclid|igshid)$/i;

export function normaliseUrl(input: string | URL, base?: string | URL): string | null {
  let u: URL;
  try {
    u = new URL(String(input), base === undefined ? undefined : String(base));
  } catch {
    return null;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  u.hash = '';
  u.username = '';
  u.password = '';
  if (u.hostname.endsWith('.')) u.hostname = u.hostname.slice(0, -1);
  const params = [...u.searchParams.entries()].filter(([k]) => !TRACKING.test(k));
  params.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  u.search = params.length ? new URLSearchParams(params).toString() : '';
  return u.toString();
}

/** True when `host` is the source domain, or a subdomain of it when subdomains are allowed. */
export function inDomain(host: string, domain: string, includeSubdomains: boolean): boolean {
  const h = host.toLowerCase();
  const d = domain.toLowerCase();
  return h === d || (includeSubdomains && h.endsWith(`.${d}`));
}

/**
 * Port and scheme scope: the start URL's origin port. A start URL on a default port admits the
 * other default port only as an upgrade to https (http://x/ redirecting to https://x/ is the
 * usual case); any other port of the host is another service, out of scope.
 */
export function onStartPort(u: URL, start: URL): boolean {
  if (start.port !== '' || u.port !== '') return u.protocol === start.protocol && u.port === start.port;
  return u.protocol === start.protocol || u.protocol === 'https:';
}

/** Path filters are prefixes of the pathname; excludes win over includes. */
export function pathAllowed(pathname: string, include: string[], exclude: string[]): boolean {
  if (exclude.some((p) => pathname.startsWith(p))) return false;
  return include.length === 0 || include.some((p) => pathname.startsWith(p));
}

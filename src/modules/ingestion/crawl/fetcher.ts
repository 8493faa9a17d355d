import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { isIP } from 'node:net';
import { Agent, request } from 'undici';
import { EgressRefusedError, SsrfGuard } from '../../../common/net/ssrf-guard';
import { ingestionConfig, IngestionConfig } from '../../../config/namespaces';
import { decodeBody } from './body-decode';
import { HostLimiter } from './host-limiter';

export type FetchOutcome =
  | {
      kind: 'ok';
      url: string;
      status: number;
      body: string;
      contentType: string;
      etag: string | null;
      lastModified: string | null;
    }
  | { kind: 'not-modified'; url: string; status: number }
  | {
      kind: 'skipped';
      url: string;
      status: number | null;
      reason: 'type' | 'size' | 'redirect' | 'offsite' | 'binary' | 'encoding';
      detail: string;
    }
  /** `refused`: the SSRF guard refused the address (of the URL or of a redirect hop). */
  | { kind: 'failed'; url: string; status: number | null; error: string; refused?: boolean };

export interface FetchOptions {
  etag?: string | null;
  lastModified?: string | null;
  /** Every redirect target must pass this (domain scope), besides the SSRF guard. */
  allowTarget?: (url: URL) => boolean;
  /** Accept any content type (robots.txt, sitemaps). */
  anyType?: boolean;
  signal?: AbortSignal;
}

const TEXT_TYPES = /^(text\/html|application\/xhtml\+xml|text\/plain)\b/i;

/**
 * The crawler's only way out: undici with the SSRF guard's dispatcher (the address is checked
 * when the socket connects, so no DNS-rebinding window), redirects followed by hand so every
 * hop is checked again, connect/header timeouts, a deadline for the whole body (undici's
 * bodyTimeout alone is an idle timeout: a server sending a byte every few seconds never trips
 * it), a body size cap, Content-Encoding decoded and binary bodies refused.
 */
@Injectable()
export class Fetcher implements OnModuleDestroy {
  readonly guard: SsrfGuard;
  readonly limiter: HostLimiter;
  private readonly dispatcher: Agent;

  constructor(@Inject(ingestionConfig.KEY) private readonly cfg: IngestionConfig) {
    const c = cfg.crawler;
    this.guard = new SsrfGuard({
      allowPrivateNetworks: c.allowPrivateNetworks,
      allowedHosts: c.allowedHosts,
      allowSetting: 'CRAWLER_ALLOWED_HOSTS',
    });
    this.dispatcher = this.guard.createDispatcher({
      connect: { timeout: c.connectTimeoutMs },
      headersTimeout: c.headersTimeoutMs,
      bodyTimeout: c.bodyTimeoutMs,
      connections: cfg.hostConcurrency * 2,
    });
    this.limiter = new HostLimiter(cfg.hostConcurrency, c.politenessDelayMs);
  }

  async onModuleDestroy(): Promise<void> {
    await this.dispatcher.close().catch(() => undefined);
  }

  async fetch(raw: string, opts: FetchOptions = {}): Promise<FetchOutcome> {
    const c = this.cfg.crawler;
    let url = raw;
    for (let hop = 0; ; hop++) {
      let target: URL;
      try {
        target = this.guard.assertUrl(url);
      } catch (err) {
        return { kind: 'failed', url, status: null, error: describe(err), refused: isRefusal(err) };
      }
      const headers: Record<string, string> = {
        'user-agent': c.userAgent,
        accept: 'text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.1',
        'accept-encoding': 'gzip, deflate, br',
      };
      if (hop === 0 && opts.etag) headers['if-none-match'] = opts.etag;
      if (hop === 0 && opts.lastModified) headers['if-modified-since'] = opts.lastModified;
      // Aborted when the body is not complete by its deadline (or when the crawl is aborted).
      const deadline = new AbortController();
      const signal = opts.signal ? AbortSignal.any([opts.signal, deadline.signal]) : deadline.signal;
      let res: Awaited<ReturnType<typeof request>>;
      try {
        res = await this.limiter.run(target.host, () =>
          request(target, {
            dispatcher: this.dispatcher,
            method: 'GET',
            headers,
            signal,
            bodyTimeout: c.bodyTimeoutMs,
            headersTimeout: c.headersTimeoutMs,
          }),
        );
      } catch (err) {
        return { kind: 'failed', url, status: null, error: describe(err, target.hostname), refused: isRefusal(err) };
      }
      const status = res.statusCode;
      const header = (name: string): string | null => {
        const v = res.headers[name];
        return Array.isArray(v) ? v[0] : (v ?? null);
      };
      if (status >= 300 && status < 400 && status !== 304) {
        discard(res.body);
        const location = header('location');
        if (!location) return { kind: 'failed', url, status, error: 'redirect without Location' };
        if (hop >= c.maxRedirects)
          return { kind: 'skipped', url, status, reason: 'redirect', detail: `more than ${c.maxRedirects} redirects` };
        const next = new URL(location, target);
        // The guard before the scope: a hop to a forbidden address is reported as refused.
        try {
          this.guard.assertUrl(next);
        } catch (err) {
          return {
            kind: 'failed',
            url,
            status,
            error: `redirect to ${next.host}: ${describe(err)}`,
            refused: isRefusal(err),
          };
        }
        if (opts.allowTarget && !opts.allowTarget(next))
          return {
            kind: 'skipped',
            url,
            status,
            reason: 'offsite',
            detail: `redirects off the domain to ${next.host}`,
          };
        url = next.toString();
        continue;
      }
      if (status === 304) {
        discard(res.body);
        return { kind: 'not-modified', url, status };
      }
      if (status >= 400) {
        discard(res.body);
        return { kind: 'failed', url, status, error: `HTTP ${status}` };
      }
      const contentType = header('content-type') ?? '';
      if (!opts.anyType && !TEXT_TYPES.test(contentType)) {
        discard(res.body);
        return { kind: 'skipped', url, status, reason: 'type', detail: `content type ${contentType || 'unknown'}` };
      }
      const declared = Number(header('content-length'));
      if (declared > c.maxBodyBytes) {
        discard(res.body);
        return { kind: 'skipped', url, status, reason: 'size', detail: `${declared} bytes > ${c.maxBodyBytes}` };
      }
      const timer = setTimeout(() => deadline.abort(), c.bodyTimeoutMs);
      let raw: Buffer | null;
      try {
        raw = await readCapped(res.body, c.maxBodyBytes);
      } catch (err) {
        if (deadline.signal.aborted)
          return {
            kind: 'failed',
            url,
            status,
            error: `body not complete within ${c.bodyTimeoutMs} ms (CRAWLER_BODY_TIMEOUT_MS)`,
          };
        return { kind: 'failed', url, status, error: describe(err, target.hostname) };
      } finally {
        clearTimeout(timer);
      }
      if (raw === null)
        return { kind: 'skipped', url, status, reason: 'size', detail: `body over ${c.maxBodyBytes} bytes` };
      const decoded = await decodeBody(raw, header('content-encoding'), contentType, c.maxBodyBytes);
      if (decoded.kind !== 'text')
        return { kind: 'skipped', url, status, reason: decoded.kind, detail: decoded.detail };
      return {
        kind: 'ok',
        url,
        status,
        body: decoded.text,
        contentType,
        etag: header('etag'),
        lastModified: header('last-modified'),
      };
    }
  }
}

/** Drops a body we will not read; the abort error it raises is expected, not a crash. */
function discard(body: NodeJS.ReadableStream & { destroy(): void }): void {
  body.on('error', () => undefined);
  body.destroy();
}

async function readCapped(body: AsyncIterable<Buffer> & { destroy(): void }, max: number): Promise<Buffer | null> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const part of body) {
    size += part.length;
    if (size > max) {
      discard(body as unknown as NodeJS.ReadableStream & { destroy(): void });
      return null;
    }
    parts.push(part);
  }
  return Buffer.concat(parts);
}

function isRefusal(err: unknown): boolean {
  return err instanceof EgressRefusedError || (err as { cause?: unknown } | null)?.cause instanceof EgressRefusedError;
}

const IPV4 = /\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b/g;
const IPV6 = /(?<![\w:])(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}(?![\w:])/gi;

/**
 * A fetch error as shown on the page row and the job. Socket errors name the address they hit
 * ("connect ECONNREFUSED 10.0.0.7:80"); for a host name that would tell the user what an
 * internal name resolves to, so addresses are replaced unless the URL itself is that address.
 */
function describe(err: unknown, hostname?: string): string {
  if (err instanceof EgressRefusedError) return err.message;
  const e = err as { code?: string; message?: string; cause?: { message?: string; code?: string } };
  const cause = e.cause instanceof EgressRefusedError ? e.cause.message : e.cause?.message;
  let text = [e.code, e.message, cause].filter(Boolean).join(': ');
  const host = hostname?.replace(/^\[|\]$/g, '');
  if (host && isIP(host) === 0) text = text.replace(IPV4, '(address hidden)').replace(IPV6, '(address hidden)');
  return text.slice(0, 500) || 'fetch failed';
}

import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { HOSTILE_STRINGS } from './spec';

/** What a security suite sent, kept so that a finding can be reproduced from the report. */
export interface SentRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  payload?: string;
}

export interface SeenResponse {
  statusCode: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
}

export interface Finding {
  problem: string;
  /** The operation (`GET /api/v1/sources/{id}`), to group findings. */
  label: string;
  request: string;
  status: number;
  excerpt: string;
}

/**
 * Patterns that must never appear in a response unless the caller sent them (error messages may
 * echo a field name or the request path, which the fuzzer fills with SQL and paths itself).
 */
const LEAKS: [string, RegExp][] = [
  ['stack trace', /\n\s+at [\w.$<>]+ \(|at Object\.<anonymous>|\b[\w-]+\.(?:ts|js):\d+:\d+/],
  ['internal path', /\/work\/|node_modules|\/src\/(?:modules|common)\/|\/dist\/(?:modules|common)/],
  [
    'database error',
    /syntax error at or near|violates (?:unique|foreign key|not-null|check) constraint|invalid input syntax for|QueryFailedError|relation "[^"]+" does not exist|column "[^"]+" (?:does not exist|of relation)|invalid byte sequence|duplicate key value|unterminated quoted/i,
  ],
  ['SQL text', /\b(?:SELECT\s+[\w".*, ]+\s+FROM\s|INSERT INTO\s+"?\w|UPDATE\s+"?\w+"?\s+SET\s|DELETE FROM\s+"?\w)/i],
  ['argon2 hash', /\$argon2(?:id|i|d)\$/],
  [
    'secret field',
    /"(?:password|passwordHash|password_hash|secretHash|secret_hash|previousSecretHash|previous_secret_hash|previousSecret|previous_secret|tokenHash|token_hash|jwtSecret)"\s*:/,
  ],
];

const PROBLEM_TYPE = /^application\/problem\+json/;
const SECURITY_HEADERS = [
  'x-content-type-options',
  'content-security-policy',
  'strict-transport-security',
  'x-frame-options',
  'referrer-policy',
  'x-request-id',
];

export function describeRequest(req: SentRequest): string {
  const body =
    req.payload === undefined
      ? ''
      : ` body=${req.payload.length > 300 ? `${req.payload.slice(0, 300)}…(${req.payload.length})` : req.payload}`;
  return `${req.method} ${req.url.length > 300 ? `${req.url.slice(0, 300)}…` : req.url}${body} headers=${JSON.stringify(req.headers ?? {}).slice(0, 300)}`;
}

function header(res: SeenResponse, name: string): string {
  const v = res.headers[name];
  return Array.isArray(v) ? v.join(', ') : v === undefined ? '' : String(v);
}

/**
 * Checks every response a security suite sees: no 5xx, errors in the stable problem+json shape,
 * no stack trace, SQL, internal path, hash or secret field, the security headers present; and
 * at the end, none of the secrets stored in the database (password hashes, API key and refresh
 * token digests, webhook secrets) anywhere in any body.
 */
export class ResponseAuditor {
  readonly findings: Finding[] = [];
  readonly statuses = new Map<number, number>();
  count = 0;
  private readonly tokens = new Map<string, string>();

  /**
   * `echoes`: strings the suites store and may legitimately read back later (a display name set
   * to an SQL string by an earlier request is data, not a leak).
   */
  constructor(
    private readonly jwtSecret = process.env.JWT_SECRET ?? '',
    private readonly echoes = HOSTILE_STRINGS.join('\n'),
  ) {}

  /** `allowWebhookSecret`: the two responses that hand out a webhook signing secret by design. */
  check(
    req: SentRequest,
    res: SeenResponse,
    opts: { allowWebhookSecret?: boolean; streamed?: boolean; label?: string } = {},
  ): void {
    this.count++;
    this.statuses.set(res.statusCode, (this.statuses.get(res.statusCode) ?? 0) + 1);
    const sent = `${req.url}\n${req.payload ?? ''}\n${JSON.stringify(req.headers ?? {})}`;
    const sentDecoded = safeDecode(sent);
    const add = (problem: string, excerpt = '') =>
      this.findings.push({
        problem,
        label: opts.label ?? req.method,
        request: describeRequest(req),
        status: res.statusCode,
        excerpt: excerpt.slice(0, 400),
      });

    if (res.statusCode >= 500) add('5xx', res.body);
    if (res.statusCode >= 400 && !opts.streamed) this.checkProblem(res, add);
    for (const name of SECURITY_HEADERS) if (!header(res, name)) add(`missing header ${name}`);
    for (const [what, re] of LEAKS) {
      // The API document describes the password fields of the request bodies, by design.
      if (what === 'secret field' && req.url.startsWith('/docs')) continue;
      const m = re.exec(res.body);
      if (m && !sent.includes(m[0]) && !sentDecoded.includes(m[0]) && !this.echoes.includes(m[0]))
        add(`leak: ${what}`, res.body.slice(Math.max(0, m.index - 100), m.index + 200));
    }
    if (this.jwtSecret && res.body.includes(this.jwtSecret)) add('leak: JWT secret');
    // Candidate secrets, looked up in the database at the end (64-hex digests, whsec_ secrets).
    for (const m of res.body.matchAll(/\b[0-9a-f]{64}\b|whsec_[A-Za-z0-9+/=_-]{16,}/g)) {
      if (opts.allowWebhookSecret && m[0].startsWith('whsec_')) continue;
      if (!this.tokens.has(m[0])) this.tokens.set(m[0], describeRequest(req));
    }
  }

  private checkProblem(res: SeenResponse, add: (p: string, e?: string) => void): void {
    if (!PROBLEM_TYPE.test(header(res, 'content-type')))
      return add(`error without problem+json (${header(res, 'content-type')})`, res.body);
    let p: Record<string, unknown>;
    try {
      p = JSON.parse(res.body) as Record<string, unknown>;
    } catch {
      return add('problem body is not JSON', res.body);
    }
    const ok =
      typeof p.type === 'string' &&
      p.type.startsWith('/problems/') &&
      typeof p.title === 'string' &&
      p.status === res.statusCode &&
      typeof p.detail === 'string' &&
      typeof p.instance === 'string' &&
      typeof p.code === 'string' &&
      /^[a-z-]+$/.test(p.code) &&
      p.requestId === header(res, 'x-request-id');
    if (!ok) add('problem body without the stable shape', res.body);
  }

  /** Looks every secret-looking string seen in a body up among the secrets stored in the database. */
  async scanStoredSecrets(ds: DataSource): Promise<void> {
    const rows: { v: string | null }[] = await ds.query(`
      SELECT password_hash AS v FROM users
      UNION ALL SELECT secret_hash FROM api_keys UNION ALL SELECT previous_secret_hash FROM api_keys
      UNION ALL SELECT token_hash FROM refresh_tokens
      UNION ALL SELECT secret FROM webhook_endpoints UNION ALL SELECT previous_secret FROM webhook_endpoints`);
    const stored = new Set(rows.map((r) => r.v?.trim()).filter((v): v is string => !!v));
    for (const [token, request] of this.tokens) {
      if (stored.has(token))
        this.findings.push({
          problem: 'leak: a stored secret or hash',
          label: '',
          request,
          status: 0,
          excerpt: token.slice(0, 12),
        });
    }
  }

  histogram(): string {
    return [...this.statuses.entries()]
      .sort(([a], [b]) => a - b)
      .map(([s, n]) => `${s}:${n}`)
      .join(' ');
  }

  /** One example per (problem, operation), so a report stays readable. */
  report(max = 25): string {
    const groups = new Map<string, { n: number; first: Finding }>();
    for (const f of this.findings) {
      const key = `${f.problem} @ ${f.label}`;
      const g = groups.get(key);
      if (g) g.n++;
      else groups.set(key, { n: 1, first: f });
    }
    const lines = [...groups.entries()]
      .slice(0, max)
      .map(([key, { n, first }]) => `- ${key} (x${n}): ${first.status} ${first.request}\n    ${first.excerpt}`);
    return `${this.findings.length} finding(s) in ${groups.size} group(s):\n${lines.join('\n')}`;
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export interface InjectOptions extends SentRequest {
  /** SSE routes: read at most this long, then hang up (the stream may never end by itself). */
  streamMs?: number;
}

/** Fastify's in-process inject (no sockets): fast enough for thousands of requests per suite. */
export async function inject(app: NestFastifyApplication, req: InjectOptions): Promise<SeenResponse> {
  const fastify = app.getHttpAdapter().getInstance();
  if (req.streamMs === undefined) {
    const res = await fastify.inject({
      method: req.method as 'GET',
      url: req.url,
      headers: req.headers,
      payload: req.payload,
    });
    return { statusCode: res.statusCode, headers: res.headers, body: res.body };
  }
  const abort = new AbortController();
  const res = await fastify.inject({
    method: req.method as 'GET',
    url: req.url,
    headers: req.headers,
    payload: req.payload,
    payloadAsStream: true,
    signal: abort.signal,
  });
  const stream = res.stream();
  const chunks: Buffer[] = [];
  await new Promise<void>((resolve) => {
    const timer = setTimeout(done, req.streamMs);
    function done() {
      clearTimeout(timer);
      stream.removeAllListeners('data');
      resolve();
    }
    stream.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
    stream.on('end', done);
    stream.on('error', done);
  });
  stream.destroy();
  abort.abort();
  return { statusCode: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') };
}

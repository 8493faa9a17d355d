import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigValidationError, loadEnv, parseEnv } from './env';
import { renderEnvExample, renderEnvTable, TABLE_END, TABLE_START } from './env-docs';
import { ENV_SPEC } from './env.schema';
import { EXAMPLE_SECRET_VALUES } from './example-values';

const valid = {
  DATABASE_URL: 'postgres://u:p@db.internal:5432/nexcore',
  REDIS_URL: 'redis://cache.internal:6379',
  JWT_SECRET: 'x'.repeat(40),
};

function problemsOf(raw: NodeJS.ProcessEnv): string[] {
  try {
    parseEnv(raw);
  } catch (err) {
    if (err instanceof ConfigValidationError) return err.problems;
    throw err;
  }
  return [];
}

describe('parseEnv', () => {
  it('accepts a minimal valid environment and fills defaults', () => {
    const env = parseEnv(valid);
    expect(env.PORT).toBe(3000);
    expect(env.HOST).toBe('0.0.0.0');
    expect(env.CORS_ORIGINS).toEqual([]);
    expect(env.DB_MIGRATIONS_RUN).toBe(true);
  });

  it('names every missing required variable in one error', () => {
    const problems = problemsOf({});
    expect(problems.join('\n')).toMatch(/JWT_SECRET is required/);
    expect(problems).toHaveLength(1);
  });

  it('without DATABASE_URL and REDIS_URL selects the embedded mode outside production', () => {
    const env = parseEnv({ JWT_SECRET: valid.JWT_SECRET });
    expect([env.DATABASE_URL, env.REDIS_URL, env.PGLITE_DATA_DIR]).toEqual(['', '', './data/pglite']);
    expect(problemsOf({ JWT_SECRET: valid.JWT_SECRET, NODE_ENV: 'test' })).toEqual([]);
  });

  it('refuses the embedded mode in production unless ALLOW_EMBEDDED_IN_PRODUCTION=true', () => {
    const prod = { JWT_SECRET: valid.JWT_SECRET, NODE_ENV: 'production', METRICS_TOKEN: 'm'.repeat(20) };
    const problems = problemsOf(prod);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(
      /DATABASE_URL is not set: NODE_ENV=production refuses the embedded PostgreSQL.*ALLOW_EMBEDDED_IN_PRODUCTION=true/,
    );
    expect(problems[1]).toMatch(/REDIS_URL is not set: NODE_ENV=production refuses the in-memory/);
    expect(problemsOf({ ...prod, REDIS_URL: valid.REDIS_URL })).toHaveLength(1);
    expect(problemsOf({ ...prod, DATABASE_URL: valid.DATABASE_URL, REDIS_URL: valid.REDIS_URL })).toEqual([]);
    expect(problemsOf({ ...prod, ALLOW_EMBEDDED_IN_PRODUCTION: 'true' })).toEqual([]);
    // A malformed URL is reported as malformed, not also as missing.
    expect(problemsOf({ ...prod, DATABASE_URL: 'mysql://x/y', REDIS_URL: valid.REDIS_URL })).toEqual([
      expect.stringMatching(/DATABASE_URL must use postgres/),
    ]);
  });

  it('refuses APP_ROLE=api without Redis (jobs would never leave the process)', () => {
    expect(problemsOf({ ...valid, REDIS_URL: '', APP_ROLE: 'api' }).join('\n')).toMatch(/APP_ROLE=api needs REDIS_URL/);
    expect(problemsOf({ ...valid, REDIS_URL: '', APP_ROLE: 'worker' })).toEqual([]);
  });

  it.each([
    ['JWT_SECRET', 'short', /JWT_SECRET must be at least 32/],
    ['DATABASE_URL', 'mysql://x/y', /DATABASE_URL must use postgres/],
    ['DATABASE_URL', 'not a url', /DATABASE_URL must be a URL/],
    ['REDIS_URL', 'http://x', /REDIS_URL must use redis/],
    ['PORT', '70000', /PORT must be between 1 and 65535/],
    ['PORT', '80a', /PORT must be an integer/],
    ['RATE_LIMIT_THRESHOLD', '0', /RATE_LIMIT_THRESHOLD must be between/],
    ['TIME_WINDOW_SECONDS', '-5', /TIME_WINDOW_SECONDS must be between/],
    ['MAX_PAYLOAD_SIZE_MB', '500', /MAX_PAYLOAD_SIZE_MB must be between/],
    ['DB_POOL_SIZE', '0', /DB_POOL_SIZE must be between/],
    ['CACHE_TTL_SECONDS', '0', /CACHE_TTL_SECONDS must be between/],
    ['REQUEST_TIMEOUT_MS', '1', /REQUEST_TIMEOUT_MS must be between/],
    ['NODE_ENV', 'staging', /NODE_ENV must be one of/],
    ['TRUST_PROXY', 'maybe', /TRUST_PROXY must be true or false/],
    ['CORS_ORIGINS', '*', /CORS_ORIGINS may not contain "\*"/],
    ['CORS_ORIGINS', 'https://ok.test,ftp://bad', /CORS_ORIGINS item "ftp:\/\/bad"/],
    ['METRICS_TOKEN', 'short', /METRICS_TOKEN must be at least 16/],
  ])('refuses %s=%s', (name, value, message) => {
    expect(problemsOf({ ...valid, [name]: value }).join('\n')).toMatch(message);
  });

  it('lists several bad variables together', () => {
    const problems = problemsOf({ ...valid, PORT: 'x', JWT_SECRET: 'y', RATE_LIMIT_THRESHOLD: '0' });
    expect(problems).toHaveLength(3);
  });

  it('refuses the .env.example placeholder secrets in production only', () => {
    const placeholders = { ...valid, JWT_SECRET: EXAMPLE_SECRET_VALUES.JWT_SECRET };
    expect(problemsOf({ ...placeholders, NODE_ENV: 'development' })).toEqual([]);
    const problems = problemsOf({ ...placeholders, NODE_ENV: 'production', METRICS_TOKEN: 'm'.repeat(20) });
    expect(problems).toEqual([expect.stringMatching(/JWT_SECRET still has the .env.example placeholder/)]);
  });

  it('refuses production without METRICS_TOKEN, naming the variable (an open /metrics was flooded)', () => {
    expect(problemsOf({ ...valid, NODE_ENV: 'production' })).toEqual([
      expect.stringMatching(/^METRICS_TOKEN is not set: NODE_ENV=production requires/),
    ]);
    expect(problemsOf({ ...valid, NODE_ENV: 'production', METRICS_TOKEN: 'm'.repeat(20) })).toEqual([]);
    expect(problemsOf({ ...valid, NODE_ENV: 'development' })).toEqual([]);
  });

  it('TRUST_PROXY_HOPS is a small positive hop count', () => {
    expect(parseEnv({ ...valid, TRUST_PROXY: 'true' }).TRUST_PROXY_HOPS).toBe(1);
    expect(problemsOf({ ...valid, TRUST_PROXY_HOPS: '0' }).join('\n')).toMatch(
      /TRUST_PROXY_HOPS must be between 1 and 10/,
    );
  });

  it('parses any in-range integer and refuses any out-of-range one', () => {
    fc.assert(
      fc.property(fc.integer({ min: -100000, max: 200000 }), (port) => {
        const ok = problemsOf({ ...valid, PORT: String(port) }).length === 0;
        expect(ok).toBe(port >= 1 && port <= 65535);
      }),
    );
  });

  it('loadEnv re-reads process.env when it changes', () => {
    const saved = { ...process.env };
    try {
      Object.assign(process.env, valid, { PORT: '4001' });
      expect(loadEnv().PORT).toBe(4001);
      process.env.PORT = '4002';
      expect(loadEnv().PORT).toBe(4002);
    } finally {
      process.env = saved;
    }
  });

  it('has no default for any secret', () => {
    for (const [name, spec] of Object.entries(ENV_SPEC)) {
      if ('secret' in spec && spec.secret && spec.default !== undefined) {
        // An empty default means "feature off", never a usable secret.
        expect([name, spec.default]).toEqual([name, '']);
      }
    }
  });
});

describe('configuration docs', () => {
  const root = join(__dirname, '..', '..');

  it('.env.example lists exactly the variables the schema reads (run npm run docs:env)', () => {
    const committed = readFileSync(join(root, '.env.example'), 'utf8');
    const names = (text: string) =>
      text
        .split('\n')
        .filter((l) => /^[A-Z0-9_]+=/.test(l))
        .map((l) => l.split('=')[0])
        .sort();
    expect(names(committed)).toEqual(Object.keys(ENV_SPEC).sort());
    expect(committed).toBe(renderEnvExample());
  });

  it('README configuration table matches the schema (run npm run docs:env)', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf(TABLE_START) + TABLE_START.length, readme.indexOf(TABLE_END)).trim();
    expect(table).toBe(renderEnvTable());
  });
});

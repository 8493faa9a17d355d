import { ENV_SPEC, Env, EnvName, VarSpec } from './env.schema';
import { EXAMPLE_SECRET_VALUES } from './example-values';
import { embeddedModeProblems } from './runtime-mode';

export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigValidationError';
  }
}

type Result = { ok: true; value: unknown } | { ok: false; problem: string };

function parseVar(spec: VarSpec, raw: string): Result {
  const fail = (problem: string): Result => ({ ok: false, problem });
  switch (spec.kind) {
    case 'string': {
      if (raw === '' && spec.allowEmpty) return { ok: true, value: '' };
      if (spec.minLength !== undefined && raw.length < spec.minLength)
        return fail(`must be at least ${spec.minLength} characters`);
      if (spec.pattern && !spec.pattern.test(raw)) return fail(`must match ${spec.pattern.source}`);
      return { ok: true, value: raw };
    }
    case 'int': {
      if (!/^-?\d+$/.test(raw.trim())) return fail('must be an integer');
      const n = Number(raw);
      if (n < spec.min || n > spec.max) return fail(`must be between ${spec.min} and ${spec.max}`);
      return { ok: true, value: n };
    }
    case 'number': {
      if (!/^-?\d+(\.\d+)?$/.test(raw.trim())) return fail('must be a number');
      const n = Number(raw);
      if (n < spec.min || n > spec.max) return fail(`must be between ${spec.min} and ${spec.max}`);
      return { ok: true, value: n };
    }
    case 'bool': {
      const v = raw.trim().toLowerCase();
      if (['true', '1', 'yes'].includes(v)) return { ok: true, value: true };
      if (['false', '0', 'no'].includes(v)) return { ok: true, value: false };
      return fail('must be true or false');
    }
    case 'url': {
      let u: URL;
      try {
        u = new URL(raw);
      } catch {
        return fail('must be a URL');
      }
      if (!spec.protocols.includes(u.protocol))
        return fail(`must use ${spec.protocols.map((p) => p.replace(':', '://')).join(' or ')}`);
      if (!u.hostname) return fail('must name a host');
      return { ok: true, value: raw };
    }
    case 'enum':
      return spec.values.includes(raw) ? { ok: true, value: raw } : fail(`must be one of ${spec.values.join(', ')}`);
    case 'list': {
      const items = raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      for (const item of items) {
        if (spec.forbid?.includes(item)) return fail(`may not contain "${item}"`);
        if (spec.itemPattern && !spec.itemPattern.test(item))
          return fail(`item "${item}" must match ${spec.itemPattern.source}`);
      }
      return { ok: true, value: items };
    }
  }
}

/**
 * Parses and validates the whole environment at once, so one failed boot names every bad
 * variable instead of the first.
 */
export function parseEnv(raw: NodeJS.ProcessEnv): Env {
  return parseVars(raw, Object.keys(ENV_SPEC) as EnvName[]) as Env;
}

/**
 * Validates only the named variables: for command-line tools (db:backup) that need a few of
 * them and must not ask for JWT_SECRET or REDIS_URL.
 */
export function parseVars<K extends EnvName>(raw: NodeJS.ProcessEnv, names: readonly K[]): Pick<Env, K> {
  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  for (const name of names) {
    const spec: VarSpec = ENV_SPEC[name];
    const value = raw[name];
    if (value === undefined || (value === '' && !(spec.kind === 'string' && spec.allowEmpty))) {
      if (spec.default === undefined) problems.push(`${name} is required (${spec.doc})`);
      else out[name] = spec.default;
      continue;
    }
    const r = parseVar(spec, value);
    if (r.ok) out[name] = r.value;
    else problems.push(`${name} ${r.problem}`);
  }
  if ((out.NODE_ENV ?? raw.NODE_ENV) === 'production') {
    for (const [name, placeholder] of Object.entries(EXAMPLE_SECRET_VALUES)) {
      if (name in out && placeholder !== '' && raw[name] === placeholder)
        problems.push(`${name} still has the .env.example placeholder value, refused in production`);
    }
    // An open /metrics is cheap to flood and leaks internals; production must protect it.
    if (out.METRICS_TOKEN === '')
      problems.push(
        'METRICS_TOKEN is not set: NODE_ENV=production requires a bearer token for GET /metrics (at least 16 characters)',
      );
  }
  problems.push(...embeddedModeProblems(out as Partial<Env>));
  if (problems.length) throw new ConfigValidationError(problems);
  return out as Pick<Env, K>;
}

let cached: { snapshot: string; env: Env } | undefined;

/** parseEnv(process.env), memoised until process.env changes (tests change it between apps). */
export function loadEnv(): Env {
  const snapshot = JSON.stringify(Object.keys(ENV_SPEC).map((k) => process.env[k]));
  if (!cached || cached.snapshot !== snapshot) {
    cached = { snapshot, env: parseEnv(process.env) };
  }
  return cached.env;
}

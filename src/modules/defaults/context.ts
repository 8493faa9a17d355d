import { BadRequestException } from '@nestjs/common';
import { problemBody } from '../../common/errors/error-code';

export const MAX_CONTEXT_ATTRIBUTES = 16;
export const KEY_PATTERN = /^[a-zA-Z0-9._:-]{1,255}$/;
/** Names are case-insensitive (lower-cased); values keep their case. */
const NAME_PATTERN = /^[a-z][a-z0-9_.-]{0,63}$/;
const VALUE_PATTERN = /^[A-Za-z0-9_.:@/+-]{1,128}$/;

export type ContextInput = string | Record<string, unknown> | null | undefined;

export class ContextError extends Error {}

/** The attributes as [name, value] pairs, sorted by name. */
export type Attributes = Array<[string, string]>;

/**
 * Parses a context given as `{team: "ops"}` or `"team=ops;env=prod"` into sorted pairs.
 * Throws ContextError on anything that is not exactly a small set of valid attributes, so two
 * spellings of the same set can never end up as two rows.
 */
export function parseContext(input: ContextInput): Attributes {
  if (input === null || input === undefined) return [];
  let raw: Array<[string, unknown]>;
  if (typeof input === 'string') {
    raw = input
      .split(';')
      .map((part) => part.trim())
      .filter((part) => part.length > 0)
      .map((part) => {
        const eq = part.indexOf('=');
        if (eq < 0) throw new ContextError(`attribute "${part}" is not name=value`);
        return [part.slice(0, eq).trim(), part.slice(eq + 1).trim()];
      });
  } else if (typeof input === 'object' && !Array.isArray(input)) {
    raw = Object.entries(input);
  } else {
    throw new ContextError('context must be an object of name/value strings or a "name=value;..." string');
  }
  if (raw.length > MAX_CONTEXT_ATTRIBUTES) throw new ContextError(`at most ${MAX_CONTEXT_ATTRIBUTES} attributes`);
  const seen = new Map<string, string>();
  for (const [rawName, value] of raw) {
    const name = rawName.toLowerCase();
    if (!NAME_PATTERN.test(name))
      throw new ContextError(`attribute name "${rawName}" must match ${NAME_PATTERN.source} (case-insensitive)`);
    if (typeof value !== 'string' || !VALUE_PATTERN.test(value))
      throw new ContextError(`value of "${name}" must be a string matching ${VALUE_PATTERN.source}`);
    if (seen.has(name)) throw new ContextError(`attribute "${name}" is given twice`);
    seen.set(name, value);
  }
  return [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

export function formatContext(attrs: Attributes): string {
  return attrs.map(([n, v]) => `${n}=${v}`).join(';');
}

/** Canonical form: sorted lower-cased names, `;`-joined; `""` is the global context. */
export function canonicalContext(input: ContextInput): string {
  return formatContext(parseContext(input));
}

/** canonicalContext for request input: a bad context is the client's fault (400). */
export function canonicalOr400(input: ContextInput, field = 'context'): string {
  try {
    return canonicalContext(input);
  } catch (err) {
    throw new BadRequestException(
      problemBody({
        message: `Invalid ${field}: ${(err as Error).message}`,
        code: 'invalid-context',
      }),
    );
  }
}

/** Splits an already canonical context (as stored) back into pairs. */
export function splitCanonical(context: string): Attributes {
  if (!context) return [];
  return context.split(';').map((p) => {
    const eq = p.indexOf('=');
    return [p.slice(0, eq), p.slice(eq + 1)];
  });
}

export function assertKey(key: string): void {
  if (!KEY_PATTERN.test(key)) {
    throw new BadRequestException(
      problemBody({
        message: `Invalid key: 1 to 255 characters of ${KEY_PATTERN.source.slice(2, -6)}`,
        code: 'invalid-key',
      }),
    );
  }
}

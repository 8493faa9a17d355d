import { registerDecorator, ValidationOptions } from 'class-validator';

/** C0/C1 control characters except tab, line feed and carriage return (kept: they are text). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

export function stripControl<T>(value: T): T {
  return (typeof value === 'string' ? value.replace(CONTROL, '') : value) as T;
}

/** Strips control characters from metadata keys and string values; anything else is left for the validator. */
export function sanitizeMetadata(value: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[stripControl(k)] = stripControl(v);
  return out;
}

export const METADATA_MAX_KEYS = 50;
export const METADATA_MAX_CHARS = 1000;

/** Why a metadata value is refused, or null when it is a flat object within the limits. */
export function metadataProblem(value: unknown): string | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'must be a flat JSON object';
  const entries = Object.entries(value);
  if (entries.length > METADATA_MAX_KEYS) return `may have at most ${METADATA_MAX_KEYS} keys`;
  for (const [k, v] of entries) {
    if (k.length > METADATA_MAX_CHARS) return `keys may be at most ${METADATA_MAX_CHARS} characters`;
    if (typeof v === 'string') {
      if (v.length > METADATA_MAX_CHARS) return `"${k.slice(0, 50)}" is longer than ${METADATA_MAX_CHARS} characters`;
    } else if (typeof v === 'number') {
      if (!Number.isFinite(v)) return `"${k.slice(0, 50)}" must be a finite number`;
    } else if (typeof v !== 'boolean') {
      return `"${k.slice(0, 50)}" must be a string, number or boolean`;
    }
  }
  return null;
}

export function IsFlatMetadata(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isFlatMetadata',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown) => metadataProblem(value) === null,
        defaultMessage: (args) => `metadata ${metadataProblem(args?.value) ?? 'is invalid'}`,
      },
    });
}

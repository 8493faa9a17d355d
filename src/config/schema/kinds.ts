/** The kinds of environment variable and their constructors (see env.schema.ts). */
export type EnvGroup =
  | 'app'
  | 'database'
  | 'redis'
  | 'cache'
  | 'security'
  | 'rateLimit'
  | 'auth'
  | 'feedback'
  | 'webhooks'
  | 'defaults'
  | 'ingestion'
  | 'ask'
  | 'tracing'
  | 'backup';

interface BaseSpec<T> {
  group: EnvGroup;
  doc: string;
  /** Absent means required. Secrets never have one. */
  default?: T;
  secret?: boolean;
  /** Phantom field carrying the parsed type. */
  readonly _type?: T;
}
export interface StringSpec extends BaseSpec<string> {
  kind: 'string';
  minLength?: number;
  pattern?: RegExp;
  allowEmpty?: boolean;
}
export interface IntSpec extends BaseSpec<number> {
  kind: 'int';
  min: number;
  max: number;
}
/** A decimal number (weights, thresholds). */
export interface NumberSpec extends BaseSpec<number> {
  kind: 'number';
  min: number;
  max: number;
}
export interface BoolSpec extends BaseSpec<boolean> {
  kind: 'bool';
}
export interface UrlSpec extends BaseSpec<string> {
  kind: 'url';
  protocols: string[];
}
export interface EnumSpec<T extends string = string> extends BaseSpec<T> {
  kind: 'enum';
  values: readonly T[];
}
export interface ListSpec extends BaseSpec<string[]> {
  kind: 'list';
  itemPattern?: RegExp;
  forbid?: string[];
}
export type VarSpec = StringSpec | IntSpec | NumberSpec | BoolSpec | UrlSpec | EnumSpec | ListSpec;

export const str = (s: Omit<StringSpec, 'kind'>): StringSpec => ({ kind: 'string', ...s });
export const int = (s: Omit<IntSpec, 'kind'>): IntSpec => ({ kind: 'int', ...s });
export const num = (s: Omit<NumberSpec, 'kind'>): NumberSpec => ({ kind: 'number', ...s });
export const bool = (s: Omit<BoolSpec, 'kind'>): BoolSpec => ({ kind: 'bool', ...s });
export const url = (s: Omit<UrlSpec, 'kind'>): UrlSpec => ({ kind: 'url', ...s });
export const list = (s: Omit<ListSpec, 'kind'>): ListSpec => ({ kind: 'list', ...s });
export function oneOf<T extends string>(s: Omit<EnumSpec<T>, 'kind'>): EnumSpec<T> {
  return { kind: 'enum', ...s };
}

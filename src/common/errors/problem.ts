import { HttpException, HttpStatus } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import { QueryFailedError } from 'typeorm';
import { FieldError, RequestValidationException } from '../http/validation.pipe';
import type { ErrorCode } from './error-code';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

/** RFC 9457 body, plus `code` (stable machine-readable slug) and `requestId`. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: ErrorCode;
  requestId: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export interface MappedError {
  status: number;
  code: ErrorCode;
  detail: string;
  errors?: FieldError[];
  extensions?: Record<string, unknown>;
  /** True when the cause is ours, not the caller's: log the stack, hide the details. */
  internal: boolean;
}

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'bad-request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  406: 'not-acceptable',
  408: 'request-timeout',
  409: 'conflict',
  410: 'gone',
  412: 'precondition-failed',
  413: 'payload-too-large',
  414: 'uri-too-long',
  415: 'unsupported-media-type',
  422: 'unprocessable-entity',
  428: 'precondition-required',
  429: 'rate-limited',
  500: 'internal-error',
  503: 'service-unavailable',
  504: 'gateway-timeout',
};

export function codeForStatus(status: number): ErrorCode {
  return CODE_BY_STATUS[status] ?? (status >= 500 ? 'internal-error' : 'bad-request');
}

/** Postgres SQLSTATEs that are the caller's doing (or a transient outage), not a bug. */
const PG_ERRORS: Record<string, { status: number; code: ErrorCode; detail: string }> = {
  '23505': { status: 409, code: 'conflict', detail: 'A record with the same unique value already exists' },
  '23503': { status: 409, code: 'conflict', detail: 'The record refers to, or is referred to by, another record' },
  '22P02': { status: 400, code: 'bad-request', detail: 'A value has an invalid format' },
  '22001': { status: 400, code: 'bad-request', detail: 'A value is too long' },
  '22003': { status: 400, code: 'bad-request', detail: 'A number is out of range' },
  // NUL characters (\u0000) cannot be stored in Postgres text (22021) or jsonb (22P05).
  '22021': { status: 400, code: 'bad-request', detail: 'A value contains a character that cannot be stored (NUL)' },
  '22P05': { status: 400, code: 'bad-request', detail: 'A value contains a character that cannot be stored (NUL)' },
  '40001': { status: 409, code: 'conflict', detail: 'A concurrent change conflicted; retry the request' },
  '40P01': { status: 409, code: 'conflict', detail: 'A concurrent change conflicted; retry the request' },
  '57014': { status: 503, code: 'service-unavailable', detail: 'The database took too long to answer' },
  '57P01': { status: 503, code: 'service-unavailable', detail: 'The database is restarting' },
  '57P02': { status: 503, code: 'service-unavailable', detail: 'The database is restarting' },
  '57P03': { status: 503, code: 'service-unavailable', detail: 'The database is starting up' },
  '53300': { status: 503, code: 'service-unavailable', detail: 'The database has no free connection' },
};

const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND']);

/**
 * SQLSTATEs of a database that is restarting, shutting down or full, raised at connect time as a
 * bare pg error (not a QueryFailedError): class 08 (connection exception), 57P01-57P03
 * (admin/crash shutdown, "the database system is starting up"), 53300 (too many connections).
 */
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[123]|53300)$/;

/**
 * TypeORM raises these when a transaction keeps using a connection the driver already dropped
 * because Postgres went away under it (seen in test/chaos/postgres-restart).
 */
const RELEASED_RUNNER = new Set(['QueryRunnerAlreadyReleasedError', 'QueryRunnerProviderAlreadyReleasedError']);

function isConnectionLoss(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: string }).code;
  const pgSeverity = (err as { severity?: string }).severity;
  return (
    (code !== undefined && UNAVAILABLE_CODES.has(code)) ||
    (pgSeverity !== undefined && code !== undefined && UNAVAILABLE_SQLSTATE.test(code)) ||
    RELEASED_RUNNER.has(err.name) ||
    /Connection terminated|connection timeout|timeout exceeded when trying to connect|Connection is closed/i.test(
      err.message,
    )
  );
}

function messageOf(response: unknown, fallback: string): string {
  if (typeof response === 'string') return response;
  if (response && typeof response === 'object') {
    const m = (response as { message?: unknown }).message;
    if (Array.isArray(m)) return m.join('; ');
    if (typeof m === 'string') return m;
  }
  return fallback;
}

/** Classifies anything thrown into a status, a stable code and a safe message. */
export function mapError(err: unknown): MappedError {
  if (err instanceof RequestValidationException) {
    return { status: 400, code: 'validation-failed', detail: err.message, errors: err.errors, internal: false };
  }
  if (err instanceof HttpException) {
    const status = err.getStatus();
    const response = err.getResponse();
    const custom = typeof response === 'object' && response ? (response as Record<string, unknown>) : {};
    // Nest's default body adds `statusCode` and a string `error` (the status text); anything else
    // the exception carries (e.g. Terminus's per-dependency report) is kept as extensions.
    const { message: _m, statusCode: _s, code, ...extensions } = custom;
    if (typeof extensions.error === 'string') delete extensions.error;
    return {
      status,
      // Codes come from problemBody(), typed ErrorCode at the throw site.
      code: typeof code === 'string' ? (code as ErrorCode) : codeForStatus(status),
      detail: messageOf(response, err.message),
      extensions: Object.keys(extensions).length ? extensions : undefined,
      internal: status >= 500,
    };
  }
  if (err instanceof QueryFailedError) {
    const sqlState = (err.driverError as { code?: string } | undefined)?.code ?? '';
    const known = PG_ERRORS[sqlState];
    if (known) return { ...known, internal: known.status >= 500 };
  }
  if (isConnectionLoss(err) || (err instanceof QueryFailedError && isConnectionLoss(err.driverError))) {
    return {
      status: 503,
      code: 'service-unavailable',
      detail: 'A backing service is unavailable; retry shortly',
      internal: true,
    };
  }
  // Errors raised by Fastify itself (body too large, bad JSON, wrong content type) carry a 4xx.
  const statusCode = (err as { statusCode?: unknown } | null)?.statusCode;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    return {
      status: statusCode,
      code: codeForStatus(statusCode),
      detail: err instanceof Error ? err.message : (STATUS_CODES[statusCode] ?? 'Bad request'),
      internal: false,
    };
  }
  return { status: 500, code: 'internal-error', detail: 'An unexpected error occurred', internal: true };
}

export function buildProblem(mapped: MappedError, instance: string, requestId: string): ProblemDetails {
  const status = mapped.status || HttpStatus.INTERNAL_SERVER_ERROR;
  // 5xx details may describe internals; only our own curated messages are let through.
  const detail = mapped.internal && mapped.status === 500 ? 'An unexpected error occurred' : mapped.detail;
  return {
    ...mapped.extensions,
    type: `/problems/${mapped.code}`,
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    instance,
    code: mapped.code,
    requestId,
    ...(mapped.errors ? { errors: mapped.errors } : {}),
  };
}

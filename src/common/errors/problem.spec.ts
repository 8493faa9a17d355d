import { BadRequestException, ConflictException, HttpException, NotFoundException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { RequestValidationException } from '../http/validation.pipe';
import { buildProblem, codeForStatus, mapError } from './problem';
import { problemBody } from './error-code';

const pgError = (code: string) => new QueryFailedError('INSERT ...', [], Object.assign(new Error('pg'), { code }));

describe('mapError', () => {
  it('keeps the status and message of HTTP exceptions', () => {
    expect(mapError(new NotFoundException('No such source'))).toMatchObject({
      status: 404,
      code: 'not-found',
      detail: 'No such source',
      internal: false,
    });
  });

  it('lets an exception choose its stable code and extra members', () => {
    const err = new ConflictException({ message: 'Version mismatch', code: 'stale-version', currentVersion: 7 });
    expect(mapError(err)).toMatchObject({ status: 409, code: 'stale-version', extensions: { currentVersion: 7 } });
  });

  it("drops Nest's string `error` but keeps structured reports", () => {
    expect(mapError(new BadRequestException('x')).extensions).toBeUndefined();
    const health = new HttpException({ status: 'error', error: { redis: { status: 'down' } } }, 503);
    expect(mapError(health).extensions).toEqual({ status: 'error', error: { redis: { status: 'down' } } });
  });

  it('joins array messages', () => {
    expect(mapError(new BadRequestException(['a is bad', 'b is bad'])).detail).toBe('a is bad; b is bad');
  });

  it('carries per-field validation errors', () => {
    const err = new RequestValidationException([{ field: 'email', messages: ['email must be an email'] }]);
    expect(mapError(err)).toMatchObject({ status: 400, code: 'validation-failed', errors: [{ field: 'email' }] });
  });

  it.each([
    ['23505', 409],
    ['23503', 409],
    ['22P02', 400],
    ['22001', 400],
    ['22021', 400],
    ['22P05', 400],
    ['40001', 409],
    ['57014', 503],
  ])('maps Postgres SQLSTATE %s to %i', (code, status) => {
    expect(mapError(pgError(code)).status).toBe(status);
  });

  it('treats lost connections as 503, not 500', () => {
    expect(
      mapError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })).status,
    ).toBe(503);
    expect(mapError(new Error('Connection terminated unexpectedly')).status).toBe(503);
    expect(mapError(new QueryFailedError('SELECT 1', [], new Error('Connection terminated'))).status).toBe(503);
  });

  it('treats a restarting database and a connection dropped mid-transaction as 503', () => {
    const pgConnectError = (code: string, message: string) =>
      Object.assign(new Error(message), { code, severity: 'FATAL' });
    expect(mapError(pgConnectError('57P03', 'the database system is starting up')).status).toBe(503);
    expect(mapError(pgConnectError('57P01', 'terminating connection due to administrator command')).status).toBe(503);
    expect(mapError(pgConnectError('53300', 'sorry, too many clients already')).status).toBe(503);
    expect(mapError(pgConnectError('08006', 'connection failure')).status).toBe(503);
    expect(mapError(pgError('57P03')).status).toBe(503);
    for (const name of ['QueryRunnerAlreadyReleasedError', 'QueryRunnerProviderAlreadyReleasedError']) {
      expect(mapError(Object.assign(new Error('released'), { name })).status).toBe(503);
    }
    // A pg error of another class is still a bug of ours.
    expect(mapError(pgConnectError('42P01', 'relation "x" does not exist')).status).toBe(500);
  });

  it('passes through 4xx errors raised by Fastify', () => {
    const fst = Object.assign(new Error('Request body is too large'), {
      statusCode: 413,
      code: 'FST_ERR_CTP_BODY_TOO_LARGE',
    });
    expect(mapError(fst)).toMatchObject({ status: 413, code: 'payload-too-large', internal: false });
  });

  it('hides anything unknown behind a 500', () => {
    expect(mapError(new TypeError('x is undefined'))).toMatchObject({ status: 500, internal: true });
    expect(mapError('a string')).toMatchObject({ status: 500 });
    expect(mapError(pgError('XX000')).status).toBe(500);
  });
});

describe('buildProblem', () => {
  it('builds an RFC 9457 body with code and request id', () => {
    const p = buildProblem(mapError(new NotFoundException('gone')), '/api/v1/x', 'req-1');
    expect(p).toEqual({
      type: '/problems/not-found',
      title: 'Not Found',
      status: 404,
      detail: 'gone',
      instance: '/api/v1/x',
      code: 'not-found',
      requestId: 'req-1',
    });
  });

  it('never lets an extension overwrite the standard members', () => {
    const err = new HttpException({ message: 'm', status: 'error', type: 'evil', instance: 'evil' }, 503);
    const p = buildProblem(mapError(err), '/i', 'r');
    expect(p).toMatchObject({ status: 503, type: '/problems/service-unavailable', instance: '/i' });
  });

  it('replaces the detail of unexpected 500s', () => {
    const p = buildProblem(
      { status: 500, code: 'internal-error', detail: 'db password is x', internal: true },
      '/',
      'r',
    );
    expect(p.detail).toBe('An unexpected error occurred');
  });

  it('has a code for every status', () => {
    expect(codeForStatus(418)).toBe('bad-request');
    expect(codeForStatus(502)).toBe('internal-error');
    expect(codeForStatus(429)).toBe('rate-limited');
  });
});

describe('problemBody', () => {
  it('passes a coded body to the mapper unchanged', () => {
    const body = problemBody({ message: 'No such source', code: 'source-not-found', extra: 1 });
    expect(mapError(new NotFoundException(body))).toMatchObject({
      status: 404,
      code: 'source-not-found',
      extensions: { extra: 1 },
    });
  });

  it('refuses a code outside the ErrorCode vocabulary at compile time', () => {
    // @ts-expect-error a misspelt code does not compile
    const body = problemBody({ message: 'No such source', code: 'source-not-fuond' });
    expect(body.code).toBe('source-not-fuond');
  });
});

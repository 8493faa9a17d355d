import pino from 'pino';
import { Writable } from 'node:stream';
import { isQuietPath } from '../http/quiet-paths';
import { buildPinoHttpOptions } from './pino-options';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  return { lines, stream };
}

describe('log redaction', () => {
  it('never writes credentials, wherever they appear', () => {
    const options = buildPinoHttpOptions({ env: 'production', logLevel: 'info' });
    const { lines, stream } = capture();
    const logger = pino({ level: 'info', redact: options.redact }, stream);
    logger.info({
      req: { headers: { authorization: 'Bearer eyJhbGci', 'x-api-key': 'nxk_ab_secret', cookie: 'rt=abc' } },
      body: { password: 'hunter2hunter2', refreshToken: 'rt-123', email: 'a@b.c' },
    });
    const out = lines.join('');
    expect(out).not.toMatch(/eyJhbGci|nxk_ab_secret|rt=abc|hunter2|rt-123/);
    expect(out).toContain('[redacted]');
    expect(out).toContain('a@b.c');
  });

  it('pretty-prints in development only', () => {
    expect(buildPinoHttpOptions({ env: 'development', logLevel: 'debug' }).transport).toBeDefined();
    expect(buildPinoHttpOptions({ env: 'production', logLevel: 'info' }).transport).toBeUndefined();
  });

  it('does not log probe and scrape requests', () => {
    expect(isQuietPath('/api/v1/health/live')).toBe(true);
    expect(isQuietPath('/metrics')).toBe(true);
    expect(isQuietPath('/api/v1/health/ready')).toBe(false);
    expect(isQuietPath('/api/v1/health/liveness-is-not-live')).toBe(false);
  });
});

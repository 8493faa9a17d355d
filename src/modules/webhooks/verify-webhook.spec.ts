import { generateWebhookSecret, signWebhook, verifyWebhook, WebhookVerificationError } from './verify-webhook';

describe('verifyWebhook', () => {
  const secret = generateWebhookSecret();
  const now = 1_800_000_000_000;
  const ts = Math.floor(now / 1000);
  const body = JSON.stringify({ type: 'feedback.received', timestamp: '2027-01-01T00:00:00.000Z', data: { id: 'x' } });
  const headers = (sig: string, t = ts) => ({
    'webhook-id': 'msg_1',
    'webhook-timestamp': String(t),
    'webhook-signature': sig,
  });

  it('generates whsec_ secrets of 32 random bytes', () => {
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(generateWebhookSecret()).not.toBe(secret);
  });

  it('matches the Standard Webhooks reference vector', () => {
    // From the standard-webhooks test suite.
    const sig = signWebhook(
      'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      'msg_p5jXN8AQM9LWM0D4loKWxJek',
      1614265330,
      '{"test": 2432232314}',
    );
    expect(sig).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('accepts a valid signature and returns the parsed body', () => {
    expect(verifyWebhook(secret, headers(signWebhook(secret, 'msg_1', ts, body)), body, { now })).toEqual(
      JSON.parse(body),
    );
  });

  it('accepts when any of several signatures matches (rotation overlap)', () => {
    const other = generateWebhookSecret();
    const both = `${signWebhook(other, 'msg_1', ts, body)} ${signWebhook(secret, 'msg_1', ts, body)}`;
    expect(() => verifyWebhook(secret, headers(both), body, { now })).not.toThrow();
    expect(() => verifyWebhook(other, headers(both), body, { now })).not.toThrow();
  });

  it('rejects an altered body, timestamp, id or a wrong secret', () => {
    const sig = signWebhook(secret, 'msg_1', ts, body);
    expect(() => verifyWebhook(secret, headers(sig), body.replace('x', 'y'), { now })).toThrow(
      WebhookVerificationError,
    );
    expect(() => verifyWebhook(secret, headers(sig, ts + 1), body, { now })).toThrow(WebhookVerificationError);
    expect(() => verifyWebhook(secret, { ...headers(sig), 'webhook-id': 'msg_2' }, body, { now })).toThrow(
      WebhookVerificationError,
    );
    expect(() => verifyWebhook(generateWebhookSecret(), headers(sig), body, { now })).toThrow(WebhookVerificationError);
  });

  it('rejects timestamps more than five minutes away, even correctly signed', () => {
    const old = ts - 301;
    expect(() => verifyWebhook(secret, headers(signWebhook(secret, 'msg_1', old, body), old), body, { now })).toThrow(
      /tolerance/,
    );
    const ok = ts - 299;
    expect(() =>
      verifyWebhook(secret, headers(signWebhook(secret, 'msg_1', ok, body), ok), body, { now }),
    ).not.toThrow();
  });

  it('rejects missing headers', () => {
    expect(() => verifyWebhook(secret, {}, body, { now })).toThrow(/missing/);
  });
});

import { signingSecrets } from './webhook-sender';
import { subscribes } from './webhook-events';

describe('signingSecrets', () => {
  const now = new Date('2027-01-01T00:00:00Z');
  it('adds the previous secret only while its overlap lasts', () => {
    const base = { secret: 'whsec_new', previousSecret: 'whsec_old' };
    expect(signingSecrets({ ...base, previousSecretExpiresAt: new Date(now.getTime() + 1000) }, now)).toEqual([
      'whsec_new',
      'whsec_old',
    ]);
    expect(signingSecrets({ ...base, previousSecretExpiresAt: new Date(now.getTime() - 1) }, now)).toEqual([
      'whsec_new',
    ]);
    expect(signingSecrets({ secret: 'whsec_new', previousSecret: null, previousSecretExpiresAt: null }, now)).toEqual([
      'whsec_new',
    ]);
  });
});

describe('subscribes', () => {
  it('matches exact event types or the * wildcard', () => {
    expect(subscribes(['feedback.received'], 'feedback.received')).toBe(true);
    expect(subscribes(['feedback.received'], 'defaults.changed')).toBe(false);
    expect(subscribes(['*'], 'ingestion.failed')).toBe(true);
  });
});

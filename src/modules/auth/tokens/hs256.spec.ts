import fc from 'fast-check';
import { createHmac } from 'node:crypto';
import { signHs256, verifyHs256Signature } from './hs256';

const key = Buffer.from('k'.repeat(40));
const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

describe('HS256', () => {
  it('verifies what it signs', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (payload) => {
        expect(verifyHs256Signature(signHs256(payload, key), key)).toEqual(JSON.parse(JSON.stringify(payload)));
      }),
      { numRuns: 50 },
    );
  });

  it('is interoperable with a plain HMAC-SHA256 JWT', () => {
    const body = `${b64({ typ: 'JWT', alg: 'HS256' })}.${b64({ a: 1 })}`;
    expect(verifyHs256Signature(`${body}.${createHmac('sha256', key).update(body).digest('base64url')}`, key)).toEqual({ a: 1 });
  });

  it('refuses alg none, other algorithms, crit headers, other keys and any changed character', () => {
    const body = (h: object) => `${b64(h)}.${b64({ a: 1 })}`;
    const sig = (b: string) => createHmac('sha256', key).update(b).digest('base64url');
    expect(verifyHs256Signature(`${body({ alg: 'none' })}.`, key)).toBeNull();
    expect(verifyHs256Signature(`${body({ alg: 'none' })}.${sig(body({ alg: 'none' }))}`, key)).toBeNull();
    expect(verifyHs256Signature(`${body({ alg: 'HS512' })}.${sig(body({ alg: 'HS512' }))}`, key)).toBeNull();
    expect(verifyHs256Signature(`${body({ alg: 'HS256', crit: ['x'] })}.${sig(body({ alg: 'HS256', crit: ['x'] }))}`, key)).toBeNull();
    expect(verifyHs256Signature(signHs256({ a: 1 }, Buffer.from('other')), key)).toBeNull();
    const token = signHs256({ sub: 'abc' }, key);
    fc.assert(
      fc.property(fc.nat(token.length - 1), fc.constantFrom('A', 'b', '_', '-', '.', '0'), (pos, ch) => {
        const mutated = token.slice(0, pos) + ch + token.slice(pos + 1);
        // Base64url's last char can carry unused bits; equal decodings are the same token.
        if (mutated !== token && Buffer.from(mutated.split('.')[2] ?? '', 'base64url').toString('hex') !== Buffer.from(token.split('.')[2], 'base64url').toString('hex')) {
          expect(verifyHs256Signature(mutated, key)).toBeNull();
        }
      }),
    );
  });
});

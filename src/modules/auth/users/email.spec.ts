import fc from 'fast-check';
import { validateSync } from 'class-validator';
import { plainToInstance } from 'class-transformer';
import { LoginDto, RegisterDto } from '../dto/account.dto';
import { normalizeEmail } from './email';

const padding = fc.stringMatching(/^[ \t\n]{0,3}$/);

describe('normalizeEmail', () => {
  it('is idempotent', () => {
    fc.assert(fc.property(fc.string(), (s) => normalizeEmail(normalizeEmail(s)) === normalizeEmail(s)));
  });

  it('maps every case and whitespace variant of an address to the same value', () => {
    fc.assert(
      fc.property(fc.emailAddress(), padding, padding, fc.array(fc.boolean()), (email, left, right, flips) => {
        const variant = [...email].map((c, i) => (flips[i % Math.max(flips.length, 1)] ? c.toUpperCase() : c)).join('');
        expect(normalizeEmail(`${left}${variant}${right}`)).toBe(normalizeEmail(email));
      }),
    );
  });

  it('never leaves surrounding whitespace or upper-case ASCII', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const n = normalizeEmail(s);
        expect(n).toBe(n.trim());
        expect(n).not.toMatch(/[A-Z]/);
      }),
    );
  });

  it('the register DTO stores the normalised form and accepts every generated address', () => {
    fc.assert(
      fc.property(fc.emailAddress(), padding, (email, pad) => {
        const dto = plainToInstance(RegisterDto, {
          email: `${pad}${email.toUpperCase()}${pad}`,
          password: 'a-good-long-passphrase',
        });
        const errors = validateSync(dto);
        // class-validator's IsEmail is stricter than RFC 5322 generators on some exotic forms.
        if (errors.length === 0) expect(dto.email).toBe(email.toLowerCase());
      }),
      { numRuns: 50 },
    );
  });

  it('login normalises the same way as register', () => {
    fc.assert(
      fc.property(fc.emailAddress(), (email) => {
        const reg = plainToInstance(RegisterDto, { email: ` ${email.toUpperCase()}`, password: 'x' });
        const log = plainToInstance(LoginDto, { email: `${email} `, password: 'x' });
        expect(log.email).toBe(reg.email);
      }),
      { numRuns: 50 },
    );
  });
});

import { COMMON_PASSWORDS, isCommonPassword } from './common-passwords';

describe('common password list', () => {
  it('is stored lower-case and compared case-insensitively', () => {
    for (const p of COMMON_PASSWORDS) expect(p).toBe(p.toLowerCase());
    expect(isCommonPassword('PassWord1234')).toBe(true);
    expect(isCommonPassword('a-rare-horse-staple-7')).toBe(false);
  });
});

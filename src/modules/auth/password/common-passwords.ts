/**
 * Small bundled deny-list of passwords that appear at the top of public breach corpora and meet
 * the 12-character minimum (shorter ones are already refused by the length rule). Compared
 * case-insensitively.
 */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  '123456789012', '1234567890123', '12345678901234', '123456789123', '111111111111', '000000000000',
  '123123123123', '121212121212', '123456123456', '112233445566', '1q2w3e4r5t6y', '1qaz2wsx3edc',
  'qwertyuiop12', 'qwertyuiop123', 'qwerty123456', 'qwertyqwerty', 'qwerty12345678', 'asdfghjkl123',
  'zxcvbnm12345', 'q1w2e3r4t5y6', 'password1234', 'password12345', 'password123456', 'passwordpassword',
  'password1234!', 'password123!', 'p@ssw0rd1234', 'p@ssword1234', 'passw0rd1234', 'iloveyou1234',
  'iloveyouiloveyou', 'letmein12345', 'letmeinletmein', 'welcome12345', 'welcome123456', 'welcomewelcome',
  'abcdefghijkl', 'abcdefghijklm', 'abc123abc123', 'abcd1234abcd', 'aaaaaaaaaaaa', 'administrator',
  'administrator1', 'admin1234567', 'adminadmin123', 'changeme1234', 'changemenow!', 'trustno1trustno1',
  'football1234', 'baseball1234', 'superman1234', 'batman123456', 'starwars1234', 'monkey123456',
  'dragon123456', 'sunshine1234', 'princess1234', 'computer1234', 'internet1234', 'michael12345',
  'jennifer1234', 'whatever1234', 'mustang12345', 'shadow123456', 'master123456', 'qazwsxedcrfv',
  'qazwsxedc123', '1234qwerasdf', 'zaq12wsxcde3', '!qaz2wsx#edc', 'correcthorsebatterystaple',
  'thequickbrownfox', 'secretpassword', 'mypassword123', 'mysecretpassword', 'passwordpassword1',
  'nexcore12345', 'nexcorenexcore', 'summer2024!!', 'winter2024!!', 'spring2025!!', 'autumn2025!!',
  'january2025!', 'december2024', 'liverpool1234', 'chelsea12345', 'arsenal12345', 'manchester123',
]);

export function isCommonPassword(password: string): boolean {
  return COMMON_PASSWORDS.has(password.toLowerCase());
}

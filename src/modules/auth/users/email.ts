/** The one canonical form of an email address: surrounding whitespace removed, lower-cased. */
export function normalizeEmail(raw: string): string {
  return raw.trim().toLowerCase();
}

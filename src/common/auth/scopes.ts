/**
 * Every scope an API key may be given. Modules that add scoped routes add their scopes here,
 * so key creation can reject typos and `@Auth({ scopes })` refuses unknown ones at compile time.
 */
export const API_KEY_SCOPES = [
  'profile:read',
  'defaults:read',
  'defaults:write',
  'ingestion:read',
  'ingestion:write',
  'ask:query',
  'feedback:write',
] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

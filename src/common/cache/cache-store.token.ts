/** The Keyv store behind the app cache: Redis (shared) or, in the embedded mode, process memory. */
export const CACHE_STORE = Symbol('CACHE_STORE');

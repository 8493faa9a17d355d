/** The counters' storage: Redis (shared by every instance) or, without REDIS_URL, process memory. */
export const RATE_LIMIT_STORAGE = Symbol('RATE_LIMIT_STORAGE');

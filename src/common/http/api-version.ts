/**
 * The one place the public API's version lives: the URI versioning setup, the OpenAPI servers,
 * path checks that match concrete URLs, and the tests' and web client's base URL use these.
 */
export const API_PREFIX = 'api';
export const API_VERSION = '1';
/** `/api/v1`: what every versioned route starts with. */
export const API_BASE_PATH = `/${API_PREFIX}/v${API_VERSION}`;

export const HTTP_REQUESTS_TOTAL = 'http_requests_total';
export const HTTP_REQUEST_DURATION = 'http_request_duration_seconds';
export const CACHE_OPERATIONS_TOTAL = 'cache_operations_total';
export const RATE_LIMIT_REJECTIONS_TOTAL = 'rate_limit_rejections_total';
export const REDIS_DEGRADED_TOTAL = 'redis_degraded_operations_total';

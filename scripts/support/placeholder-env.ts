// Imported first (before AppModule.forRoot validates the environment): placeholders that
// satisfy validation for tools that never connect, such as the OpenAPI export in preview mode.
process.env.DATABASE_URL ??= 'postgres://openapi@127.0.0.1:1/openapi';
process.env.REDIS_URL ??= 'redis://127.0.0.1:1';
process.env.JWT_SECRET ??= 'openapi-export-placeholder-secret-0123456789';
process.env.LOG_LEVEL = 'silent';

import { ConfigType, registerAs } from '@nestjs/config';
import { loadEnv } from './env';
import { runtimeModeOf } from './runtime-mode';

export const appConfig = registerAs('app', () => {
  const e = loadEnv();
  return {
    env: e.NODE_ENV,
    role: e.APP_ROLE,
    logLevel: e.LOG_LEVEL,
    // The HTTP listener and adapter settings (HOST, PORT, TRUST_PROXY, timeouts, body limit) are
    // applied before Nest starts, from the validated Env (create-app.ts, main.ts).
    commitSha: e.RAILWAY_GIT_COMMIT_SHA,
    mode: runtimeModeOf(e),
  };
});

export const databaseConfig = registerAs('database', () => {
  const e = loadEnv();
  return {
    url: e.DATABASE_URL,
    // PGlite serves one connection at a time (see embedded-postgres.ts).
    poolSize: e.DATABASE_URL ? e.DB_POOL_SIZE : 1,
    embeddedDataDir: e.PGLITE_DATA_DIR,
    connectRetries: e.DB_CONNECT_RETRIES,
    statementTimeoutMs: e.DB_STATEMENT_TIMEOUT_MS,
    migrationsRun: e.DB_MIGRATIONS_RUN,
  };
});

export const redisConfig = registerAs('redis', () => {
  const e = loadEnv();
  return { url: e.REDIS_URL, keyPrefix: e.REDIS_KEY_PREFIX, commandTimeoutMs: e.REDIS_COMMAND_TIMEOUT_MS };
});

export const cacheConfig = registerAs('cache', () => ({ ttlSeconds: loadEnv().CACHE_TTL_SECONDS }));

export const securityConfig = registerAs('security', () => {
  const e = loadEnv();
  return { jwtSecret: e.JWT_SECRET, corsOrigins: e.CORS_ORIGINS, metricsToken: e.METRICS_TOKEN };
});

export const rateLimitConfig = registerAs('rateLimit', () => {
  const e = loadEnv();
  return {
    threshold: e.RATE_LIMIT_THRESHOLD,
    windowSeconds: e.TIME_WINDOW_SECONDS,
    authFailureLimit: e.AUTH_FAILURE_LIMIT,
    authFailureWindowSeconds: e.AUTH_FAILURE_WINDOW_SECONDS,
  };
});

export const authConfig = registerAs('auth', () => {
  const e = loadEnv();
  return {
    jwtSecret: e.JWT_SECRET,
    issuer: e.JWT_ISSUER,
    audience: e.JWT_AUDIENCE,
    accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlSeconds: e.REFRESH_TOKEN_TTL_SECONDS,
    argon2: { memoryCost: e.ARGON2_MEMORY_KIB, timeCost: e.ARGON2_TIME_COST, parallelism: e.ARGON2_PARALLELISM },
    loginLimiter: {
      maxPerEmail: e.LOGIN_MAX_FAILURES_PER_EMAIL,
      maxPerIp: e.LOGIN_MAX_FAILURES_PER_IP,
      windowSeconds: e.LOGIN_FAILURE_WINDOW_SECONDS,
      failMode: e.LOGIN_LIMITER_FAIL_MODE,
    },
    statusCacheSeconds: e.USER_STATUS_CACHE_SECONDS,
    apiKeyHmacSecret: e.API_KEY_HMAC_SECRET,
    apiKeyGraceSeconds: e.API_KEY_ROTATION_GRACE_SECONDS,
    apiKeyFlushSeconds: e.API_KEY_LAST_USED_FLUSH_SECONDS,
    adminEmail: e.ADMIN_EMAIL,
    adminPassword: e.ADMIN_PASSWORD,
  };
});

export const feedbackConfig = registerAs('feedback', () => {
  const e = loadEnv();
  return {
    allowAnonymous: e.FEEDBACK_ALLOW_ANONYMOUS,
    idempotencyTtlSeconds: e.FEEDBACK_IDEMPOTENCY_TTL_SECONDS,
    exportBatchSize: e.FEEDBACK_EXPORT_BATCH_SIZE,
  };
});

export const webhooksConfig = registerAs('webhooks', () => {
  const e = loadEnv();
  return {
    timeoutMs: e.WEBHOOK_TIMEOUT_MS,
    retryScheduleSeconds: e.WEBHOOK_RETRY_SCHEDULE.map(Number),
    disableAfterHours: e.WEBHOOK_DISABLE_AFTER_HOURS,
    secretOverlapSeconds: e.WEBHOOK_SECRET_OVERLAP_SECONDS,
    allowPrivateNetworks: e.WEBHOOK_ALLOW_PRIVATE_NETWORKS,
    allowedHosts: e.WEBHOOK_ALLOWED_HOSTS,
    relayIntervalMs: e.WEBHOOK_RELAY_INTERVAL_MS,
    relayBatchSize: e.WEBHOOK_RELAY_BATCH_SIZE,
    concurrency: e.WEBHOOK_CONCURRENCY,
    stalledIntervalMs: e.WEBHOOK_STALLED_INTERVAL_MS,
    retentionDays: e.WEBHOOK_RETENTION_DAYS,
  };
});

export const defaultsConfig = registerAs('defaults', () => {
  const e = loadEnv();
  return {
    maxValueBytes: e.DEFAULTS_MAX_VALUE_BYTES,
    batchMax: e.DEFAULTS_BATCH_MAX,
    cacheTtlSeconds: e.DEFAULTS_CACHE_TTL_SECONDS,
    negativeCacheTtlSeconds: e.DEFAULTS_NEGATIVE_CACHE_TTL_SECONDS,
    usageFlushSeconds: e.DEFAULTS_USAGE_FLUSH_SECONDS,
    predict: {
      threshold: e.DEFAULTS_PREDICT_THRESHOLD,
      maxAlternatives: e.DEFAULTS_PREDICT_MAX_ALTERNATIVES,
      maxCandidates: e.DEFAULTS_PREDICT_MAX_CANDIDATES,
      recencyHalfLifeHours: e.DEFAULTS_RECENCY_HALF_LIFE_HOURS,
      usageSaturation: e.DEFAULTS_USAGE_SATURATION,
      contextWeights: Object.fromEntries(
        e.DEFAULTS_CONTEXT_WEIGHTS.map((i) => [i.split('=')[0], Number(i.split('=')[1])]),
      ),
    },
    initialWeights: {
      bias: e.DEFAULTS_WEIGHT_BIAS,
      usage: e.DEFAULTS_WEIGHT_USAGE,
      success: e.DEFAULTS_WEIGHT_SUCCESS,
      similarity: e.DEFAULTS_WEIGHT_SIMILARITY,
      recency: e.DEFAULTS_WEIGHT_RECENCY,
    },
    train: {
      cron: e.DEFAULTS_TRAIN_CRON,
      minEvents: e.DEFAULTS_TRAIN_MIN_EVENTS,
      maxEvents: e.DEFAULTS_TRAIN_MAX_EVENTS,
      maxEventsPerPrincipal: e.DEFAULTS_TRAIN_MAX_EVENTS_PER_PRINCIPAL,
    },
    feedbackRateLimit: {
      limit: e.DEFAULTS_FEEDBACK_RATE_LIMIT,
      windowSeconds: e.DEFAULTS_FEEDBACK_RATE_WINDOW_SECONDS,
    },
  };
});

export const ingestionConfig = registerAs('ingestion', () => {
  const e = loadEnv();
  return {
    maxPages: e.INGESTION_MAX_PAGES,
    workerConcurrency: e.INGESTION_WORKER_CONCURRENCY,
    userConcurrency: e.INGESTION_USER_CONCURRENCY,
    // Never below the page limit: a job must be able to queue as many pages as it may fetch.
    maxFrontier: Math.max(e.INGESTION_MAX_FRONTIER, e.INGESTION_MAX_PAGES),
    fetchConcurrency: e.INGESTION_FETCH_CONCURRENCY,
    hostConcurrency: e.INGESTION_HOST_CONCURRENCY,
    jobTimeoutMs: e.INGESTION_JOB_TIMEOUT_SECONDS * 1000,
    stalledIntervalMs: e.INGESTION_STALLED_INTERVAL_MS,
    jobAttempts: e.INGESTION_JOB_ATTEMPTS,
    eventStreams: {
      maxPerUser: e.INGESTION_EVENTS_MAX_STREAMS_PER_USER,
      recheckMs: e.INGESTION_EVENTS_RECHECK_SECONDS * 1000,
    },
    chunkSize: e.INGESTION_CHUNK_SIZE,
    chunkOverlap: Math.min(e.INGESTION_CHUNK_OVERLAP, Math.floor(e.INGESTION_CHUNK_SIZE / 2)),
    crawler: {
      userAgent: e.CRAWLER_USER_AGENT,
      connectTimeoutMs: e.CRAWLER_CONNECT_TIMEOUT_MS,
      headersTimeoutMs: e.CRAWLER_HEADERS_TIMEOUT_MS,
      bodyTimeoutMs: e.CRAWLER_BODY_TIMEOUT_MS,
      maxBodyBytes: e.CRAWLER_MAX_BODY_BYTES,
      maxRedirects: e.CRAWLER_MAX_REDIRECTS,
      maxLinksPerPage: e.CRAWLER_MAX_LINKS_PER_PAGE,
      politenessDelayMs: e.CRAWLER_POLITENESS_DELAY_MS,
      maxCrawlDelayMs: e.CRAWLER_MAX_CRAWL_DELAY_SECONDS * 1000,
      allowPrivateNetworks: e.CRAWLER_ALLOW_PRIVATE_NETWORKS,
      allowedHosts: e.CRAWLER_ALLOWED_HOSTS,
    },
  };
});

export const askConfig = registerAs('ask', () => {
  const e = loadEnv();
  return {
    provider: e.ASK_PROVIDER,
    candidates: e.ASK_CANDIDATES,
    candidateBudget: e.ASK_CANDIDATE_BUDGET,
    maxChunksPerPage: e.ASK_MAX_CHUNKS_PER_PAGE,
    minCoverage: e.ASK_MIN_COVERAGE_PERCENT / 100,
    answerMaxChars: e.ASK_ANSWER_MAX_CHARS,
    dailyQuota: e.ASK_DAILY_QUOTA,
    queryExpansion: e.ASK_QUERY_EXPANSION,
    mythesDir: e.ASK_MYTHES_DIR,
    llm: {
      baseUrl: e.LLM_BASE_URL.replace(/\/+$/, ''),
      apiKey: e.LLM_API_KEY,
      model: e.LLM_MODEL,
      timeoutMs: e.LLM_TIMEOUT_MS,
      maxRetries: e.LLM_MAX_RETRIES,
      maxTokens: e.LLM_MAX_TOKENS,
      fallbackToExtractive: e.LLM_FALLBACK_TO_EXTRACTIVE,
    },
  };
});

export const embeddingsConfig = registerAs('embeddings', () => {
  const e = loadEnv();
  const base = e.EMBEDDINGS_BASE_URL.replace(/\/+$/, '');
  return {
    /** Empty: semantic retrieval is off. */
    url: base ? (/\/v1$/.test(base) ? `${base}/embeddings` : `${base}/v1/embeddings`) : '',
    apiKey: e.EMBEDDINGS_API_KEY,
    model: e.EMBEDDINGS_MODEL,
    dimensions: e.EMBEDDINGS_DIMENSIONS,
    batchSize: e.EMBEDDINGS_BATCH_SIZE,
    timeoutMs: e.EMBEDDINGS_TIMEOUT_MS,
    maxRetries: e.EMBEDDINGS_MAX_RETRIES,
    jobBudgetMs: e.EMBEDDINGS_JOB_BUDGET_SECONDS * 1000,
    queryTimeoutMs: e.EMBEDDINGS_QUERY_TIMEOUT_MS,
    minSimilarity: e.EMBEDDINGS_MIN_SIMILARITY_PERCENT / 100,
    rrfK: e.EMBEDDINGS_RRF_K,
  };
});

export const CONFIG_NAMESPACES = [
  appConfig,
  databaseConfig,
  redisConfig,
  cacheConfig,
  securityConfig,
  rateLimitConfig,
  authConfig,
  feedbackConfig,
  webhooksConfig,
  defaultsConfig,
  ingestionConfig,
  askConfig,
  embeddingsConfig,
];

export type AppConfig = ConfigType<typeof appConfig>;
export type DatabaseConfig = ConfigType<typeof databaseConfig>;
export type RedisConfig = ConfigType<typeof redisConfig>;
export type CacheConfig = ConfigType<typeof cacheConfig>;
export type SecurityConfig = ConfigType<typeof securityConfig>;
export type RateLimitConfig = ConfigType<typeof rateLimitConfig>;
export type AuthConfig = ConfigType<typeof authConfig>;
export type FeedbackConfig = ConfigType<typeof feedbackConfig>;
export type WebhooksConfig = ConfigType<typeof webhooksConfig>;
export type DefaultsConfig = ConfigType<typeof defaultsConfig>;
export type IngestionConfig = ConfigType<typeof ingestionConfig>;
export type AskConfig = ConfigType<typeof askConfig>;
export type EmbeddingsConfig = ConfigType<typeof embeddingsConfig>;

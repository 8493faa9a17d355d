import { DynamicModule, Module, OnModuleDestroy } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { AuditModule } from './common/audit/audit.module';
import { AppCacheModule } from './common/cache/app-cache.module';
import { QueueModule } from './common/queue/queue.module';
import { LifecycleModule } from './common/lifecycle/lifecycle.module';
import { AppShutdown } from './common/lifecycle/shutdown';
import { ProblemDetailsFilter } from './common/errors/problem-details.filter';
import { createValidationPipe } from './common/http/validation.pipe';
import { LoggingModule } from './common/logging/logging.module';
import { RedisModule } from './common/redis/redis.module';
import { AppThrottlerGuard } from './common/throttling/app-throttler.guard';
import { RateLimitModule } from './common/throttling/rate-limit.module';
import { configRoot } from './config/config-root';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './modules/health/health.module';
import { MetricsModule } from './modules/metrics/metrics.module';
import { AuthModule } from './modules/auth/auth.module';
import { AuthGuard } from './modules/auth/guards/auth.guard';
import { PrivacyModule } from './common/privacy/privacy.module';
import { FeedbackModule } from './modules/feedback/feedback.module';
import { WebhooksModule } from './modules/webhooks/webhooks.module';
import { DefaultsModule } from './modules/defaults/defaults.module';
import { IngestionModule } from './modules/ingestion/ingestion.module';
import { AskModule } from './modules/ask/ask.module';
import { EmbeddedModeNotice } from './common/runtime/embedded-mode-notice';
import { OpenApiController, OpenApiDocumentStore } from './common/openapi/openapi-document';

/**
 * The application's root. A static forRoot() rather than a plain decorator, so that validating
 * the environment happens when an app is built (main, tests, scripts), not when this file is
 * imported.
 */
@Module({})
export class AppModule implements OnModuleDestroy {
  constructor(private readonly shutdown: AppShutdown) {}

  /** The root module's destroy hook is the first hook app.close() runs: see AppShutdown. */
  onModuleDestroy(): Promise<void> {
    return this.shutdown.run();
  }

  static forRoot(): DynamicModule {
    return {
      module: AppModule,
      imports: [
        configRoot(),
        LoggingModule,
        LifecycleModule,
        MetricsModule,
        RedisModule,
        DatabaseModule,
        AppCacheModule,
        QueueModule,
        // In-process domain events (ingestion.completed/failed, defaults.changed); webhooks go through the outbox.
        EventEmitterModule.forRoot({ wildcard: false }),
        RateLimitModule,
        HealthModule,
        PrivacyModule,
        AuditModule,
        AuthModule,
        WebhooksModule,
        FeedbackModule,
        DefaultsModule,
        IngestionModule,
        AskModule,
      ],
      controllers: [OpenApiController],
      providers: [
        OpenApiDocumentStore,
        // Registered here, not in main.ts, so every test app gets the production wiring.
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
        // Order matters: authentication first, so the rate limiter keys on the principal.
        { provide: APP_GUARD, useExisting: AuthGuard },
        { provide: APP_GUARD, useClass: AppThrottlerGuard },
        EmbeddedModeNotice,
      ],
    };
  }
}

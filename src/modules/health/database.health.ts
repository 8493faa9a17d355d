import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { appConfig, AppConfig } from '../../config/namespaces';
import { DatabaseHealthRepository } from './database-health.repository';
import { round } from './redis.health';

/** Readiness asks "does Postgres answer?" (see DatabaseHealthRepository for over which connection). */
@Injectable()
export class DatabaseHealthIndicator {
  constructor(
    private readonly repo: DatabaseHealthRepository,
    private readonly health: HealthIndicatorService,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
  ) {}

  async isHealthy(key = 'database') {
    const session = this.health.check(key);
    try {
      await this.repo.ping();
      return session.up();
    } catch (err) {
      return session.down({ message: (err as Error).message });
    }
  }

  /** Latency and server version, for the detailed report. */
  async describe() {
    const started = performance.now();
    try {
      const version = await this.repo.serverVersion();
      const embedded = this.app.mode.database === 'pglite' ? { embedded: 'PGlite in-process, this process only' } : {};
      return { status: 'up' as const, latencyMs: round(performance.now() - started), version, ...embedded };
    } catch (err) {
      return { status: 'down' as const, latencyMs: round(performance.now() - started), error: (err as Error).message };
    }
  }
}

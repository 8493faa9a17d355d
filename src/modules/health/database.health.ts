import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { InjectDataSource } from '@nestjs/typeorm';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { databaseConfig, DatabaseConfig } from '../../config/namespaces';

const PING_TIMEOUT_MS = 1500;

/**
 * Readiness asks "does Postgres answer?", over one connection of its own. Through the app's pool
 * (TypeORM's pingCheck) the ping queued behind busy requests: at 200 connections of load the pool
 * was saturated for seconds, readiness said "database down" (503) and a load balancer would have
 * taken a loaded but healthy instance out of rotation (test/load/mixed-load). The embedded
 * PostgreSQL (no DATABASE_URL) has no address before boot and serves one session anyway: it is
 * pinged through the app's own connection.
 */
@Injectable()
export class DatabaseHealthIndicator implements OnApplicationShutdown {
  private readonly pool?: Pool;

  constructor(
    @Inject(databaseConfig.KEY) cfg: DatabaseConfig,
    private readonly health: HealthIndicatorService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {
    if (!cfg.url) return;
    this.pool = new Pool({
      connectionString: cfg.url,
      max: 1,
      connectionTimeoutMillis: PING_TIMEOUT_MS,
      query_timeout: PING_TIMEOUT_MS,
      application_name: 'nexcore-health',
    });
    // A dropped idle connection is replaced on the next ping; it must not crash the process.
    this.pool.on('error', () => undefined);
  }

  async isHealthy(key = 'database') {
    const session = this.health.check(key);
    try {
      if (this.pool) await this.pool.query('SELECT 1');
      else await this.dataSource.query('SELECT 1');
      return session.up();
    } catch (err) {
      return session.down({ message: (err as Error).message });
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool?.end().catch(() => undefined);
  }
}

import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { databaseConfig, DatabaseConfig } from '../../config/namespaces';

const PING_TIMEOUT_MS = 1500;

/**
 * The health checks' queries. The ping goes over one connection of its own: through the app's
 * pool (TypeORM's pingCheck) it queued behind busy requests, so a saturated but healthy instance
 * read as "database down" and a load balancer would take it out of rotation
 * (test/load/mixed-load). The embedded PostgreSQL (no DATABASE_URL) has no address before boot
 * and serves one session anyway: it is pinged through the app's own connection.
 */
@Injectable()
export class DatabaseHealthRepository implements OnApplicationShutdown {
  private readonly pool?: Pool;

  constructor(
    @Inject(databaseConfig.KEY) cfg: DatabaseConfig,
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

  /** Resolves when Postgres answers; rejects with its error otherwise. */
  async ping(): Promise<void> {
    if (this.pool) await this.pool.query('SELECT 1');
    else await this.dataSource.query('SELECT 1');
  }

  async serverVersion(): Promise<string> {
    const [row] = (await this.dataSource.query('SHOW server_version')) as { server_version: string }[];
    return row.server_version;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool?.end().catch(() => undefined);
  }
}

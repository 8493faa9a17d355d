import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { SkipThrottle } from '@nestjs/throttler';
import { Auth, Public } from '../../common/auth/auth.decorators';
import { appConfig, AppConfig, askConfig, AskConfig } from '../../config/namespaces';
import { SemanticStatus } from '../ingestion/embeddings/semantic-status';
import { PACKAGE_VERSION } from './build-info';
import { DatabaseHealthIndicator } from './database.health';
import { RedisHealthIndicator } from './redis.health';

function modeName(mode: AppConfig['mode']): 'services' | 'embedded' | 'mixed' {
  if (!mode.singleInstance) return 'services';
  return mode.database === 'pglite' && mode.redis === 'in-memory' ? 'embedded' : 'mixed';
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: DatabaseHealthIndicator,
    private readonly redis: RedisHealthIndicator,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
    @Inject(askConfig.KEY) private readonly ask: AskConfig,
    private readonly semantic: SemanticStatus,
  ) {}

  @Public()
  @Get('live')
  @SkipThrottle()
  @ApiOperation({ summary: 'Liveness: the process is up (no dependency is checked)' })
  @ApiOkResponse({ description: '`{"status":"ok"}` while the process can answer' })
  live() {
    // Deliberately no Terminus executor: probes hit this often and it checks nothing.
    return { status: 'ok' };
  }

  @Public()
  @Get('ready')
  @SkipThrottle()
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness: Postgres and Redis answer a ping; 503 when either does not' })
  @ApiServiceUnavailableResponse({ description: 'A dependency is down' })
  ready() {
    return this.health.check([() => this.db.isHealthy('database'), () => this.redis.isHealthy('redis')]);
  }

  @Get('detailed')
  @Auth({ roles: ['admin'] })
  @ApiOperation({ summary: 'Each dependency with latency and version, plus uptime and build info' })
  @ApiOkResponse({ description: 'Always 200; `status` says whether every dependency is up' })
  async detailed() {
    const [database, redis] = await Promise.all([this.db.describe(), this.redis.describe()]);
    const retrieval = await this.semantic.report().catch((err: Error) => ({
      modes: ['full-text'],
      semantic: { status: 'unavailable', reason: `could not check: ${err.message}` },
    }));
    return {
      status: database.status === 'up' && redis.status === 'up' ? 'ok' : 'degraded',
      uptimeSeconds: Math.round(process.uptime()),
      build: {
        version: PACKAGE_VERSION,
        commit: this.app.commitSha || null,
        node: process.version,
        env: this.app.env,
        role: this.app.role,
      },
      // Embedded components (PGlite, in-memory Redis) make this process a single instance.
      mode: { name: modeName(this.app.mode), ...this.app.mode },
      dependencies: { database, redis },
      // Semantic retrieval needs an embeddings endpoint and pgvector: on, off or unavailable, and why.
      retrieval,
      answerProviders: {
        default: this.ask.provider,
        available: ['extractive', ...(this.ask.llm.baseUrl && this.ask.llm.model ? ['openai-compatible'] : [])],
      },
    };
  }
}

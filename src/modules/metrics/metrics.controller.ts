import { Controller, Get, Headers, Inject, Res, UnauthorizedException, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { PrometheusController } from '@willsoto/nestjs-prometheus';
import { timingSafeEqual } from 'node:crypto';
import { securityConfig, SecurityConfig } from '../../config/namespaces';
import { Public } from '../../common/http/public.decorator';

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Prometheus scrape endpoint at `/metrics` (outside `/api`), behind a bearer token (required in
 * production, see env.ts). Rate-limited per client like the API: rendering every series is
 * costly, and an open, unlimited /metrics was flooded to slow everyone else.
 */
@ApiExcludeController()
@Public()
@Controller({ path: 'metrics', version: VERSION_NEUTRAL })
export class MetricsController extends PrometheusController {
  constructor(@Inject(securityConfig.KEY) private readonly security: SecurityConfig) {
    super();
  }

  @Get()
  async index(@Res({ passthrough: true }) response: unknown, @Headers('authorization') auth?: string) {
    const token = this.security.metricsToken;
    if (token && !sameSecret(auth ?? '', `Bearer ${token}`)) {
      throw new UnauthorizedException('A valid metrics bearer token is required');
    }
    return super.index(response);
  }
}

import { Global, Module } from '@nestjs/common';
import { makeCounterProvider, makeHistogramProvider, PrometheusModule } from '@willsoto/nestjs-prometheus';
import { HttpMetricsHook } from './http-metrics.hook';
import {
  CACHE_OPERATIONS_TOTAL,
  HTTP_REQUEST_DURATION,
  HTTP_REQUESTS_TOTAL,
  RATE_LIMIT_REJECTIONS_TOTAL,
  REDIS_DEGRADED_TOTAL,
} from '../../common/metrics/metric-names';
import { MetricsController } from './metrics.controller';

const metricProviders = [
  makeCounterProvider({
    name: HTTP_REQUESTS_TOTAL,
    help: 'HTTP responses by method, route pattern and status',
    labelNames: ['method', 'route', 'status'],
  }),
  makeHistogramProvider({
    name: HTTP_REQUEST_DURATION,
    help: 'HTTP response time in seconds',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  }),
  makeCounterProvider({
    name: CACHE_OPERATIONS_TOTAL,
    help: 'Cache reads and writes by outcome (hit, miss, set, error)',
    labelNames: ['op', 'result'],
  }),
  makeCounterProvider({
    name: RATE_LIMIT_REJECTIONS_TOTAL,
    help: 'Requests refused with 429 by the rate limiter',
  }),
  makeCounterProvider({
    name: REDIS_DEGRADED_TOTAL,
    help: 'Operations that went on without Redis because it was unreachable',
    labelNames: ['component'],
  }),
];

@Global()
@Module({
  imports: [
    PrometheusModule.register({ path: 'metrics', controller: MetricsController, defaultMetrics: { enabled: true } }),
  ],
  providers: [...metricProviders, HttpMetricsHook],
  exports: metricProviders,
})
export class MetricsModule {}

import { Type } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { Logger } from 'nestjs-pino';
import { AppModule } from '../../src/app.module';
import { configureApp, createAdapter } from '../../src/bootstrap/create-app';
import { loadEnv } from '../../src/config/env';
import { installLeakScan } from './leak-scan';

export interface BootOptions {
  /** Extra controllers mounted beside the real ones, under the same global wiring. */
  controllers?: Type<unknown>[];
  /** Runs after the adapter is configured and before Nest registers the routes (e.g. an onRoute hook). */
  beforeInit?: (app: NestFastifyApplication) => void;
}

/**
 * Boots the real AppModule with production wiring (APP_* providers, adapter configuration),
 * ready for supertest. Env overrides apply to this app only. Every response body is scanned for
 * hashes and secrets (leak-scan.ts).
 */
export async function bootApp(
  env: Record<string, string> = {},
  options: BootOptions = {},
): Promise<NestFastifyApplication> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    const config = loadEnv();
    const moduleRef = await Test.createTestingModule({
      imports: [AppModule.forRoot()],
      controllers: options.controllers ?? [],
    }).compile();
    const app = moduleRef.createNestApplication<NestFastifyApplication>(createAdapter(config), { bufferLogs: true });
    app.useLogger(app.get(Logger));
    installLeakScan(app.getHttpAdapter().getInstance(), config.JWT_SECRET);
    await configureApp(app, config);
    options.beforeInit?.(app);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    return app;
  } finally {
    // Config is read at boot; restoring keeps one test's overrides out of the next app.
    process.env = saved;
  }
}

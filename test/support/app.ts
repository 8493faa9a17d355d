import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/bootstrap/create-app';

/** Boots the real AppModule with production wiring, ready for supertest / inject. */
export async function bootApp(env: Record<string, string> = {}): Promise<NestFastifyApplication> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    const app = await createApp();
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    return app;
  } finally {
    // Config is read at boot; restoring keeps one test's overrides out of the next app.
    process.env = saved;
  }
}

import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** dist/web next to the compiled server; from the sources (tests), the last build's output. */
export function webRoot(): string | undefined {
  return [join(__dirname, '..', 'web'), join(__dirname, '..', '..', 'dist', 'web')].find((dir) =>
    existsSync(join(dir, 'index.html')),
  );
}

/**
 * Serves the web client (web/, built by Vite) at `/`. Only the files that exist are routes, so
 * unknown paths still get the API's problem+json 404. Hashed assets are cached for a year;
 * index.html is revalidated so a deploy is picked up at once.
 */
export async function serveWebClient(app: NestFastifyApplication): Promise<void> {
  const root = webRoot();
  if (!root) return;
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    wildcard: false,
    decorateReply: false,
    index: ['index.html'],
    setHeaders: (reply, path) => {
      reply.header('cache-control', path.includes(join('web', 'assets')) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
}

import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { computeSecurityHeaders } from '../common/http/security-headers';

/**
 * The client's page gets a stricter policy than the API default, which allows inline styles for
 * Swagger UI: the client has no inline script or style at all, so injected markup cannot style
 * or script anything either.
 */
export const WEB_CLIENT_CSP = computeSecurityHeaders({
  contentSecurityPolicy: {
    useDefaults: true,
    directives: { 'upgrade-insecure-requests': null, 'style-src': ["'self'"] },
  },
})['content-security-policy'];

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
      const asset = path.includes(join('web', 'assets'));
      reply.header('cache-control', asset ? 'public, max-age=31536000, immutable' : 'no-cache');
      if (!asset) reply.header('content-security-policy', WEB_CLIENT_CSP);
    },
  });
}

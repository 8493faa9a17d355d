import { startTracing } from '../common/tracing/tracing';
import { ConfigValidationError, loadEnv } from '../config/env';
import { loadDotEnv } from '../config/load-dotenv';

/**
 * Imported first by main.ts: loads .env, applies the `worker` argument, and validates the
 * environment so a bad configuration ends here with one clear message. Then tracing starts (when
 * configured), before http, fastify, pg and ioredis are loaded, so the instrumentations can
 * patch them.
 */
loadDotEnv();
if (process.argv[2] === 'worker') process.env.APP_ROLE = 'worker';
try {
  startTracing(loadEnv());
} catch (err) {
  if (!(err instanceof ConfigValidationError)) throw err;
  process.stderr.write(`nexcore failed to start: ${err.message}\n`);
  process.exit(1);
}

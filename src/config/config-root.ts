import { DynamicModule } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { parseEnv } from './env';
import { CONFIG_NAMESPACES } from './namespaces';

/**
 * The validated config namespaces, for a root module (the app's, a CLI's). ConfigModule.forRoot
 * validates the environment when it is called, so root modules call this from a static
 * forRoot() at build time, never in a @Module decorator evaluated on import.
 */
export function configRoot(): Promise<DynamicModule> {
  return ConfigModule.forRoot({
    isGlobal: true,
    // .env is loaded (if present) by the entry points before anything else, see load-dotenv.ts.
    ignoreEnvFile: true,
    load: CONFIG_NAMESPACES,
    validate: (raw) => {
      parseEnv(raw);
      return raw;
    },
  });
}

import { Provider } from '@nestjs/common';
import { loadEnv } from '../../config/env';

/** True when this process consumes background jobs (APP_ROLE worker or all). */
export function runsWorkers(): boolean {
  return loadEnv().APP_ROLE !== 'api';
}

/** Job processors to register: none in an API-only process, so it enqueues but never consumes. */
export function workerProviders(...providers: Provider[]): Provider[] {
  return runsWorkers() ? providers : [];
}

import { Provider, Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { appConfig, AppConfig } from '../../config/namespaces';

/**
 * Job consumers (processors, relays, housekeeping loops), each registered under its own class.
 * Built at module init only when APP_ROLE consumes jobs (worker or all); in an API-only process
 * the token resolves to null, so that process enqueues but never consumes.
 */
export function workerProviders(...consumers: Type[]): Provider[] {
  return consumers.map((consumer) => ({
    provide: consumer,
    inject: [appConfig.KEY, ModuleRef],
    useFactory: (app: AppConfig, ref: ModuleRef) => (app.role === 'api' ? null : ref.create(consumer)),
  }));
}

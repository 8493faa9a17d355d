import { Global, Module } from '@nestjs/common';
import { Scheduler } from './scheduler';
import { AppShutdown } from './shutdown';

/** Periodic tasks and the shutdown sequence, available to every feature module. */
@Global()
@Module({
  providers: [Scheduler, AppShutdown],
  exports: [Scheduler, AppShutdown],
})
export class LifecycleModule {}

import { Injectable, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { stopAccepting } from '../http/stop-accepting';
import { Scheduler } from './scheduler';

/**
 * What a component stops in the shutdown sequence:
 * - `streams`: long-lived responses (progress streams) end, so the HTTP drain can finish;
 * - `workers`: job consumers and relays stop taking work and finish the work in flight;
 * - `flush`: in-memory trackers write what they collected.
 */
export type ShutdownStage = 'streams' | 'workers' | 'flush';
const STAGES: ShutdownStage[] = ['streams', 'workers', 'flush'];

/**
 * The whole shutdown, in one place and one order (app.close(): SIGTERM in main.ts, tests):
 *   1. stop accepting HTTP connections (synchronously, first of all — see stopAccepting);
 *   2. end progress streams and drain the requests in flight;
 *   3. stop the periodic tasks (Scheduler);
 *   4. stop workers and relays, each finishing its jobs in flight within its own bound;
 *   5. flush trackers (usage counts, API key last use) — nothing can record after step 2;
 *   6. Nest's onApplicationShutdown hooks then close queues, Redis and the Postgres pool.
 * Steps 1-5 run from the root module's onModuleDestroy (AppModule), the first hook app.close()
 * calls; components register their step with onStop() instead of implementing Nest hooks, so
 * no later, slower hook can run before the listener is closed.
 */
@Injectable()
export class AppShutdown {
  private readonly logger = new Logger('Shutdown');
  private readonly steps = new Map<ShutdownStage, { name: string; run: () => unknown }[]>(STAGES.map((s) => [s, []]));
  private done?: Promise<void>;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly scheduler: Scheduler,
  ) {}

  /** Registers `run` for `stage`; the steps of one stage run concurrently. */
  onStop(stage: ShutdownStage, name: string, run: () => unknown): void {
    this.steps.get(stage)!.push({ name, run });
  }

  run(): Promise<void> {
    this.done ??= this.sequence();
    return this.done;
  }

  private async sequence(): Promise<void> {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    const drained = fastify ? stopAccepting(fastify) : Promise.resolve();
    await this.runStage('streams');
    await drained;
    await this.scheduler.stopAll();
    await this.runStage('workers');
    await this.runStage('flush');
  }

  private async runStage(stage: ShutdownStage): Promise<void> {
    await Promise.all(
      this.steps.get(stage)!.map(async ({ name, run }) => {
        try {
          await run();
        } catch (err) {
          this.logger.warn(`${stage} ${name}: ${(err as Error).message}`);
        }
      }),
    );
  }
}

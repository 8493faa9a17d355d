import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { defaultsConfig, DefaultsConfig } from '../../config/namespaces';
import { ModelService, TrainResult } from './model.service';

export const DEFAULTS_TRAIN_QUEUE = 'defaults-train';
const SCHEDULER_ID = 'defaults-train-daily';

/** Registers the repeatable training job (idempotent: every instance may do it at boot). */
@Injectable()
export class ModelTrainingScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger('DefaultsModel');

  constructor(
    @InjectQueue(DEFAULTS_TRAIN_QUEUE) private readonly queue: Queue,
    @Inject(defaultsConfig.KEY) private readonly cfg: DefaultsConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    try {
      await this.queue.upsertJobScheduler(SCHEDULER_ID, { pattern: this.cfg.train.cron, tz: 'UTC' }, { name: 'train' });
    } catch (err) {
      // Redis down at boot: the schedule is registered by the next instance that starts.
      this.logger.warn(`could not schedule model training: ${(err as Error).message}`);
    }
  }
}

/** Runs in worker processes only (workerProviders). */
@Processor(DEFAULTS_TRAIN_QUEUE)
export class ModelTrainingProcessor extends WorkerHost {
  constructor(private readonly models: ModelService) {
    super();
  }

  process(): Promise<TrainResult> {
    return this.models.train();
  }
}

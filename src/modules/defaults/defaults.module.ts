import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { QueueModule } from '../../common/queue/queue.module';
import { workerProviders } from '../../common/queue/worker-role';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { DefaultsCache } from './cache/defaults-cache';
import { UsageCounter } from './usage-counter';
import { DefaultsOpsController } from './defaults-ops.controller';
import { DefaultsPrivacy } from './defaults-privacy';
import { DefaultsReadService } from './defaults-read.service';
import { DefaultsWriteGuard } from './defaults-write.guard';
import { DefaultsWriteService } from './defaults-write.service';
import { DefaultsController } from './defaults.controller';
import { defaultsMetricProviders } from './defaults.metrics';
import { DefaultsRepository } from './defaults.repository';
import { DefaultFeedbackEntity } from './entities/default-feedback.entity';
import { DefaultValueEntity } from './entities/default-value.entity';
import { DefaultsModelEntity } from './entities/defaults-model.entity';
import { FeedbackRepository } from './feedback.repository';
import { FeedbackRateGuard } from './feedback-rate.guard';
import { DEFAULTS_TRAIN_QUEUE, ModelTrainingWorker, ModelTrainingScheduler } from './model-training';
import { ModelRepository } from './model.repository';
import { ModelService } from './model.service';
import { PredictService } from './predict.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([DefaultValueEntity, DefaultFeedbackEntity, DefaultsModelEntity]),
    QueueModule.registerQueue(DEFAULTS_TRAIN_QUEUE),
    WebhooksModule,
  ],
  // The ops controller comes first so its static paths (batch, predict, model) are not read as keys.
  controllers: [DefaultsOpsController, DefaultsController],
  providers: [
    ...defaultsMetricProviders,
    DefaultsRepository,
    FeedbackRepository,
    ModelRepository,
    DefaultsCache,
    UsageCounter,
    DefaultsReadService,
    DefaultsWriteService,
    DefaultsWriteGuard,
    FeedbackRateGuard,
    PredictService,
    ModelService,
    ModelTrainingScheduler,
    DefaultsPrivacy,
    ...workerProviders(ModelTrainingWorker),
  ],
  exports: [DefaultsReadService, ModelService, UsageCounter],
})
export class DefaultsModule {}

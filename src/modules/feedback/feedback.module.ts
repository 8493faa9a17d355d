import { Module } from '@nestjs/common';
import { workerProviders } from '../../common/queue/worker-role';
import { TypeOrmModule } from '@nestjs/typeorm';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { FeedbackIdempotencyEntity } from './entities/feedback-idempotency.entity';
import { FeedbackEntity } from './entities/feedback.entity';
import { FeedbackAccessGuard } from './feedback-access.guard';
import { FeedbackAdminController } from './feedback-admin.controller';
import { FeedbackHousekeeping } from './feedback-housekeeping';
import { feedbackMetricProviders, FeedbackMetricsHook } from './feedback.metrics';
import { FeedbackPrivacy } from './feedback-privacy';
import { FeedbackController } from './feedback.controller';
import { FeedbackRepository } from './feedback.repository';
import { FeedbackService } from './feedback.service';

/** Feedback intake (API key, user or anonymous) and its admin triage/export; events go out through the webhook outbox. */
@Module({
  imports: [TypeOrmModule.forFeature([FeedbackEntity, FeedbackIdempotencyEntity]), WebhooksModule],
  controllers: [FeedbackController, FeedbackAdminController],
  providers: [
    FeedbackRepository,
    FeedbackService,
    FeedbackAccessGuard,
    FeedbackMetricsHook,
    FeedbackPrivacy,
    ...feedbackMetricProviders,
    ...workerProviders(FeedbackHousekeeping),
  ],
})
export class FeedbackModule {}

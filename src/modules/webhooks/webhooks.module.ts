import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { QueueModule } from '../../common/queue/queue.module';
import { workerProviders } from '../../common/queue/worker-role';
import { OutboxEventEntity } from './entities/outbox-event.entity';
import { WebhookAttemptEntity } from './entities/webhook-attempt.entity';
import { WebhookDeliveryEntity } from './entities/webhook-delivery.entity';
import { WebhookEndpointEntity } from './entities/webhook-endpoint.entity';
import { OutboxRelay } from './outbox-relay';
import { OutboxService } from './outbox.service';
import { WebhookDeliveryProcessor } from './webhook-delivery.processor';
import { WEBHOOK_QUEUE } from './webhook-events';
import { webhookMetricProviders } from './webhooks.metrics';
import { WebhookSender } from './webhook-sender';
import { WebhooksController } from './webhooks.controller';
import { WebhooksRepository } from './webhooks.repository';
import { WebhooksService } from './webhooks.service';

/**
 * Signed webhooks: endpoints (admin API), a transactional outbox other modules write to
 * (OutboxService is exported), a relay into BullMQ and the delivery worker. The relay and the
 * worker run only where APP_ROLE allows workers.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([OutboxEventEntity, WebhookEndpointEntity, WebhookDeliveryEntity, WebhookAttemptEntity]),
    QueueModule.registerQueue(WEBHOOK_QUEUE),
  ],
  controllers: [WebhooksController],
  providers: [
    WebhooksRepository,
    OutboxService,
    WebhookSender,
    WebhooksService,
    ...webhookMetricProviders,
    ...workerProviders(OutboxRelay, WebhookDeliveryProcessor),
  ],
  exports: [OutboxService],
})
export class WebhooksModule {}

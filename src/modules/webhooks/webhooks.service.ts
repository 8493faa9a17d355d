import { BadRequestException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { AuditService } from '../../common/audit/audit.service';
import { RequestMeta } from '../../common/http/request-meta';
import { EgressRefusedError } from '../../common/net/ssrf-guard';
import { webhooksConfig, WebhooksConfig } from '../../config/namespaces';
import { CreateWebhookDto, UpdateWebhookDto, WebhookDeliveryDto, WebhookEndpointDto } from './dto/webhook.dto';
import { WebhookAttemptEntity } from './entities/webhook-attempt.entity';
import { WebhookDeliveryEntity } from './entities/webhook-delivery.entity';
import { WebhookEndpointEntity } from './entities/webhook-endpoint.entity';
import { OutboxService } from './outbox.service';
import { PING_EVENT } from './webhook-events';
import { WebhookSender } from './webhook-sender';
import { WebhooksRepository } from './webhooks.repository';
import { generateWebhookSecret } from './verify-webhook';
import { problemBody } from '../../common/errors/error-code';
import { pageOf } from '../../common/http/page';

export function toEndpointView(e: WebhookEndpointEntity): WebhookEndpointDto {
  return {
    id: e.id,
    url: e.url,
    events: e.events,
    description: e.description,
    enabled: e.enabled,
    disabledReason: e.disabledReason,
    failingSince: e.failingSince,
    previousSecretExpiresAt: e.previousSecretExpiresAt,
    createdAt: e.createdAt,
  };
}

function toDeliveryView(d: WebhookDeliveryEntity, attempts: WebhookAttemptEntity[]): WebhookDeliveryDto {
  return {
    id: d.id,
    messageId: `msg_${d.id}`,
    eventType: d.eventType,
    status: d.status,
    attempts: d.attempts,
    nextAttemptAt: d.nextAttemptAt,
    completedAt: d.completedAt,
    createdAt: d.createdAt,
    attemptLog: attempts.map(({ attemptNo, statusCode, latencyMs, success, error, responseSnippet, createdAt }) => ({
      attemptNo,
      statusCode,
      latencyMs,
      success,
      error,
      responseSnippet,
      createdAt,
    })),
  };
}

/** Endpoint administration; every change is audited. */
@Injectable()
export class WebhooksService {
  constructor(
    private readonly repo: WebhooksRepository,
    private readonly outbox: OutboxService,
    private readonly sender: WebhookSender,
    private readonly audit: AuditService,
    @Inject(webhooksConfig.KEY) private readonly cfg: WebhooksConfig,
  ) {}

  /** Refuses URLs the SSRF guard rejects up front (scheme, private IP literal); names are checked at connect time. */
  private checkUrl(url: string): void {
    try {
      this.sender.guard.assertUrl(url);
    } catch (err) {
      if (err instanceof EgressRefusedError) {
        throw new BadRequestException(
          problemBody({ message: `Webhook URL refused: ${err.reason}`, code: 'egress-refused' }),
        );
      }
      throw err;
    }
  }

  async create(
    actorId: string,
    dto: CreateWebhookDto,
    meta: RequestMeta,
  ): Promise<{ endpoint: WebhookEndpointDto; secret: string }> {
    this.checkUrl(dto.url);
    const secret = generateWebhookSecret();
    const ep = await this.repo.createEndpoint({
      url: dto.url,
      events: dto.events,
      description: dto.description ?? null,
      secret,
      createdBy: actorId,
    });
    await this.audit.record(
      {
        action: 'webhook.create',
        actorId,
        entityType: 'webhook_endpoint',
        entityId: ep.id,
        newValues: { url: ep.url, events: ep.events },
      },
      meta,
    );
    return { endpoint: toEndpointView(ep), secret };
  }

  async list(page: number, limit: number) {
    const [rows, total] = await this.repo.listEndpoints(page, limit);
    return pageOf(rows.map(toEndpointView), total, { page, limit });
  }

  async get(id: string): Promise<WebhookEndpointEntity> {
    const ep = await this.repo.findEndpoint(id);
    if (!ep) throw new NotFoundException('No such webhook endpoint');
    return ep;
  }

  async update(actorId: string, id: string, dto: UpdateWebhookDto, meta: RequestMeta): Promise<WebhookEndpointDto> {
    const ep = await this.get(id);
    if (dto.url !== undefined) this.checkUrl(dto.url);
    const patch: Partial<WebhookEndpointEntity> = {};
    if (dto.url !== undefined) patch.url = dto.url;
    if (dto.events !== undefined) patch.events = dto.events;
    if (dto.description !== undefined) patch.description = dto.description;
    if (dto.enabled !== undefined) {
      patch.enabled = dto.enabled;
      if (dto.enabled) Object.assign(patch, { disabledReason: null, failingSince: null });
    }
    if (Object.keys(patch).length) await this.repo.updateEndpoint(id, patch);
    const old = { url: ep.url, events: ep.events, enabled: ep.enabled, description: ep.description };
    await this.audit.record(
      {
        action: 'webhook.update',
        actorId,
        entityType: 'webhook_endpoint',
        entityId: id,
        oldValues: old,
        newValues: { ...dto },
      },
      meta,
    );
    return toEndpointView(await this.get(id));
  }

  async remove(actorId: string, id: string, meta: RequestMeta): Promise<void> {
    if (!(await this.repo.deleteEndpoint(id))) throw new NotFoundException('No such webhook endpoint');
    await this.audit.record({ action: 'webhook.delete', actorId, entityType: 'webhook_endpoint', entityId: id }, meta);
  }

  /** New secret; the old one keeps signing (second signature) for WEBHOOK_SECRET_OVERLAP_SECONDS. */
  async rotateSecret(
    actorId: string,
    id: string,
    meta: RequestMeta,
  ): Promise<{ endpoint: WebhookEndpointDto; secret: string }> {
    const ep = await this.get(id);
    const secret = generateWebhookSecret();
    const overlap = this.cfg.secretOverlapSeconds;
    await this.repo.updateEndpoint(id, {
      secret,
      previousSecret: overlap > 0 ? ep.secret : null,
      previousSecretExpiresAt: overlap > 0 ? new Date(Date.now() + overlap * 1000) : null,
    });
    await this.audit.record(
      { action: 'webhook.rotate-secret', actorId, entityType: 'webhook_endpoint', entityId: id },
      meta,
    );
    return { endpoint: toEndpointView(await this.get(id)), secret };
  }

  /** A ping through the normal pipeline (outbox, relay, queue), to this endpoint only. */
  async ping(actorId: string, id: string): Promise<{ eventId: string }> {
    await this.get(id);
    const eventId = await this.outbox.add(PING_EVENT, { endpointId: id, requestedBy: actorId }, undefined, id);
    this.outbox.notify();
    return { eventId };
  }

  async deliveries(endpointId: string, page: number, limit: number) {
    await this.get(endpointId);
    const [rows, total] = await this.repo.listDeliveries(endpointId, page, limit);
    const attempts = await this.repo.attemptsFor(rows.map((r) => r.id));
    const items = rows.map((d) =>
      toDeliveryView(
        d,
        attempts.filter((a) => a.deliveryId === d.id),
      ),
    );
    return pageOf(items, total, { page, limit });
  }

  /** Same message (same webhook-id, same body), a fresh run through the retry schedule. */
  async redeliver(actorId: string, deliveryId: string, meta: RequestMeta): Promise<WebhookDeliveryDto> {
    const d = await this.repo.findDelivery(deliveryId);
    if (!d) throw new NotFoundException('No such delivery');
    await this.repo.updateDelivery(d.id, {
      status: 'pending',
      scheduleIndex: 0,
      nextAttemptAt: new Date(),
      enqueuedAt: null,
      completedAt: null,
    });
    await this.audit.record(
      { action: 'webhook.redeliver', actorId, entityType: 'webhook_delivery', entityId: d.id },
      meta,
    );
    this.outbox.notify();
    const fresh = (await this.repo.findDelivery(d.id))!;
    return toDeliveryView(fresh, await this.repo.attemptsFor([d.id]));
  }
}

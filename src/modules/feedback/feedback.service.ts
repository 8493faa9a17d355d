import { BadRequestException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { Principal } from '../../common/auth/principal';
import { feedbackConfig, FeedbackConfig } from '../../config/namespaces';
import { OutboxService } from '../webhooks/outbox.service';
import { CreateFeedbackDto, FeedbackDto, FeedbackFilterDto } from './dto/feedback.dto';
import { FeedbackEntity, FeedbackStatus } from './entities/feedback.entity';
import { FeedbackRepository } from './feedback.repository';
import { problemBody } from '../../common/errors/error-code';
import { pageOf } from '../../common/http/page';

export function toFeedbackView(f: FeedbackEntity): FeedbackDto {
  return {
    id: f.id,
    type: f.type,
    message: f.message,
    rating: f.rating,
    contact: f.contact,
    appVersion: f.appVersion,
    metadata: f.metadata,
    status: f.status,
    userId: f.userId,
    createdAt: f.createdAt,
  };
}

export interface SubmitResult {
  status: number;
  body: FeedbackDto;
  replayed: boolean;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7E]{1,255}$/;

@Injectable()
export class FeedbackService {
  constructor(
    private readonly repo: FeedbackRepository,
    private readonly outbox: OutboxService,
    @Inject(feedbackConfig.KEY) private readonly cfg: FeedbackConfig,
  ) {}

  /**
   * Stores the feedback and its feedback.received outbox row in one transaction, together with
   * the Idempotency-Key claim when there is one: the first request with a key stores, later
   * ones (even concurrent) get the first response back and store nothing.
   */
  async submit(
    dto: CreateFeedbackDto,
    principal: Principal | undefined,
    clientKey: string,
    idempotencyKey?: string,
  ): Promise<SubmitResult> {
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw new BadRequestException(
        problemBody({
          message: 'Idempotency-Key must be 1-255 printable ASCII characters',
          code: 'invalid-idempotency-key',
        }),
      );
    }
    const result = await this.repo.transaction(async (m): Promise<SubmitResult> => {
      if (
        idempotencyKey !== undefined &&
        !(await this.repo.claimIdempotencyKey(m, clientKey, idempotencyKey, this.cfg.idempotencyTtlSeconds))
      ) {
        const first = await this.repo.findIdempotent(m, clientKey, idempotencyKey);
        return { status: first!.responseStatus, body: first!.responseBody as FeedbackDto, replayed: true };
      }
      const row = await this.repo.insert(m, {
        type: dto.type,
        message: dto.message,
        rating: dto.rating ?? null,
        contact: dto.contact ?? null,
        appVersion: dto.appVersion ?? null,
        metadata: dto.metadata ?? null,
        userId: principal?.userId ?? null,
        apiKeyId: principal?.apiKeyId ?? null,
      });
      const body = toFeedbackView(row);
      await this.outbox.add('feedback.received', body, m);
      if (idempotencyKey !== undefined)
        await this.repo.saveIdempotentResponse(m, clientKey, idempotencyKey, row.id, 201, body);
      return { status: 201, body, replayed: false };
    });
    if (!result.replayed) this.outbox.notify();
    return result;
  }

  async list(f: FeedbackFilterDto, page: number, limit: number) {
    const [rows, total] = await this.repo.search(f, page, limit);
    return pageOf(rows.map(toFeedbackView), total, { page, limit });
  }

  async get(id: string): Promise<FeedbackDto> {
    const f = await this.repo.findById(id);
    if (!f) throw new NotFoundException('No such feedback');
    return toFeedbackView(f);
  }

  async setStatus(id: string, status: FeedbackStatus): Promise<FeedbackDto> {
    if (!(await this.repo.setStatus(id, status))) throw new NotFoundException('No such feedback');
    return this.get(id);
  }

  batches(f: FeedbackFilterDto) {
    return this.repo.batches(f, this.cfg.exportBatchSize);
  }
}

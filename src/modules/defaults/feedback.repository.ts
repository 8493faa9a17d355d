import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { DefaultFeedbackEntity } from './entities/default-feedback.entity';

@Injectable()
export class FeedbackRepository {
  constructor(@InjectRepository(DefaultFeedbackEntity) private readonly repo: Repository<DefaultFeedbackEntity>) {}

  async insert(m: EntityManager, row: Partial<DefaultFeedbackEntity>): Promise<string> {
    const r = await m.getRepository(DefaultFeedbackEntity).insert(row as QueryDeepPartialEntity<DefaultFeedbackEntity>);
    return (r.identifiers[0] as { id: string }).id;
  }

  /** The newest events, for training. */
  newest(limit: number): Promise<DefaultFeedbackEntity[]> {
    return this.repo.find({ order: { createdAt: 'DESC' }, take: limit });
  }

  byActor(actorId: string): Promise<DefaultFeedbackEntity[]> {
    return this.repo.find({ where: { actorId }, order: { createdAt: 'ASC' } });
  }

  /** Events stay (they are the training data) but no longer point at the person. */
  async anonymise(actorId: string, m: EntityManager): Promise<void> {
    await m.getRepository(DefaultFeedbackEntity).update({ actorId }, { actorId: null });
  }
}

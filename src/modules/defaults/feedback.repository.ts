import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { DefaultFeedbackEntity } from './entities/default-feedback.entity';

@Injectable()
export class FeedbackRepository {
  constructor(@InjectRepository(DefaultFeedbackEntity) private readonly repo: Repository<DefaultFeedbackEntity>) {}

  async insert(m: EntityManager, row: Partial<DefaultFeedbackEntity>): Promise<string> {
    const r = await m.getRepository(DefaultFeedbackEntity).insert(row as QueryDeepPartialEntity<DefaultFeedbackEntity>);
    return (r.identifiers[0] as { id: string }).id;
  }

  /**
   * Training events, newest first: of each principal only the newest outcome per (key,
   * context), and at most `perPrincipal` of those, so no one user's outcomes outweigh the
   * rest (docs/defaults.md, trust model). Rows of erased users (actor null) and seeded rows
   * count each on their own.
   */
  async forTraining(limit: number, perPrincipal: number): Promise<DefaultFeedbackEntity[]> {
    const rows: Array<{ id: string }> = await this.repo.query(
      `WITH latest AS (
         SELECT DISTINCT ON (COALESCE(actor_id, id), key, context) id, COALESCE(actor_id, id) AS who, created_at
           FROM default_feedback ORDER BY COALESCE(actor_id, id), key, context, created_at DESC, id DESC),
       ranked AS (SELECT id, created_at, row_number() OVER (PARTITION BY who ORDER BY created_at DESC, id DESC) AS n FROM latest)
       SELECT id FROM ranked WHERE n <= $1 ORDER BY created_at DESC, id DESC LIMIT $2`,
      [perPrincipal, limit],
    );
    if (!rows.length) return [];
    return this.repo.find({ where: { id: In(rows.map((r) => r.id)) }, order: { createdAt: 'DESC' } });
  }

  byActor(actorId: string): Promise<DefaultFeedbackEntity[]> {
    return this.repo.find({ where: { actorId }, order: { createdAt: 'ASC' } });
  }

  /** Events stay (they are the training data) but no longer point at the person. */
  async anonymise(actorId: string, m: EntityManager): Promise<void> {
    await m.getRepository(DefaultFeedbackEntity).update({ actorId }, { actorId: null });
  }
}

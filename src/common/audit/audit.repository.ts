import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { AuditLogEntity } from './audit-log.entity';

export interface AuditQuery {
  actorId?: string;
  action?: string;
  entityType?: string;
  entityId?: string;
  from?: Date;
  to?: Date;
  page: number;
  limit: number;
}

/** Data access for the audit log; the only class that knows it is a TypeORM table. */
@Injectable()
export class AuditRepository {
  constructor(@InjectRepository(AuditLogEntity) private readonly repo: Repository<AuditLogEntity>) {}

  async insert(entry: Partial<AuditLogEntity>): Promise<void> {
    // jsonb columns hold arbitrary objects, which TypeORM's deep-partial type cannot express.
    await this.repo.insert(entry as QueryDeepPartialEntity<AuditLogEntity>);
  }

  /** One multi-row insert, inside the caller's transaction when a manager is given. */
  async insertMany(entries: Partial<AuditLogEntity>[], manager?: EntityManager): Promise<void> {
    if (!entries.length) return;
    const target = manager ? manager.getRepository(AuditLogEntity) : this.repo;
    await target.insert(entries as QueryDeepPartialEntity<AuditLogEntity>[]);
  }

  async search(q: AuditQuery): Promise<{ items: AuditLogEntity[]; total: number }> {
    const qb = this.repo.createQueryBuilder('a');
    if (q.actorId) qb.andWhere('a.actor_id = :actorId', { actorId: q.actorId });
    if (q.action) qb.andWhere('a.action = :action', { action: q.action });
    if (q.entityType) qb.andWhere('a.entity_type = :entityType', { entityType: q.entityType });
    if (q.entityId) qb.andWhere('a.entity_id = :entityId', { entityId: q.entityId });
    if (q.from) qb.andWhere('a.created_at >= :from', { from: q.from });
    if (q.to) qb.andWhere('a.created_at < :to', { to: q.to });
    const [items, total] = await qb
      .orderBy('a.created_at', 'DESC')
      .addOrderBy('a.id', 'DESC')
      .skip((q.page - 1) * q.limit)
      .take(q.limit)
      .getManyAndCount();
    return { items, total };
  }

  findByActor(actorId: string): Promise<AuditLogEntity[]> {
    return this.repo.find({ where: { actorId }, order: { createdAt: 'ASC' } });
  }

  /** Keeps the entries (what happened, when) but removes everything pointing at the person. */
  async anonymise(userId: string, manager: EntityManager): Promise<void> {
    await manager
      .createQueryBuilder()
      .update(AuditLogEntity)
      .set({ actorId: null, ip: null, oldValues: null, newValues: null })
      .where('actor_id = :userId', { userId })
      .execute();
    await manager
      .createQueryBuilder()
      .update(AuditLogEntity)
      .set({ entityId: null, ip: null, oldValues: null, newValues: null })
      .where('entity_id = :userId', { userId })
      .execute();
  }
}

import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { RequestMeta } from '../http/request-meta';
import { AuditLogEntity } from './audit-log.entity';
import { AuditQuery, AuditRepository } from './audit.repository';

export interface AuditEvent {
  action: string;
  actorId?: string | null;
  entityType?: string;
  entityId?: string | null;
  oldValues?: Record<string, unknown> | null;
  newValues?: Record<string, unknown> | null;
}

function toEntry(event: AuditEvent, meta?: RequestMeta): Partial<AuditLogEntity> {
  return {
    action: event.action,
    actorId: event.actorId ?? null,
    entityType: event.entityType ?? null,
    entityId: event.entityId ?? null,
    oldValues: event.oldValues ?? null,
    newValues: event.newValues ?? null,
    requestId: meta?.requestId ?? null,
    ip: meta?.ip || null,
  };
}

/** Writes and reads the audit log; every module records its security-relevant changes here. */
@Injectable()
export class AuditService {
  constructor(private readonly repo: AuditRepository) {}

  record(event: AuditEvent, meta?: RequestMeta): Promise<void> {
    return this.repo.insert(toEntry(event, meta));
  }

  /**
   * Several entries in one insert; with `manager` they belong to the caller's transaction, so
   * a rolled-back change leaves no audit entry claiming it happened.
   */
  recordMany(events: AuditEvent[], meta?: RequestMeta, manager?: EntityManager): Promise<void> {
    return this.repo.insertMany(
      events.map((e) => toEntry(e, meta)),
      manager,
    );
  }

  search(query: AuditQuery): Promise<{ items: AuditLogEntity[]; total: number }> {
    return this.repo.search(query);
  }
}

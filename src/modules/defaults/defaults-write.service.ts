import {
  Inject,
  Injectable,
  NotFoundException,
  PayloadTooLargeException,
  PreconditionFailedException,
  UnprocessableEntityException,
  BadRequestException,
} from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { AuditEvent, AuditService } from '../../common/audit/audit.service';
import { RequestMeta } from '../../common/http/request-meta';
import { currentRequestId } from '../../common/logging/request-context';
import type { DefaultsChanged, DomainEventName } from '../../common/events/domain-events';
import { defaultsConfig, DefaultsConfig } from '../../config/namespaces';
import { DefaultsCache } from './cache/defaults-cache';
import { canonicalContext, ContextInput, KEY_PATTERN } from './context';
import { DefaultsRepository } from './defaults.repository';
import { AUDIT_ENTITY_TYPE, auditEntityId, DefaultValueView, toView } from './defaults.view';
import { DefaultValueEntity } from './entities/default-value.entity';
import { OutboxService } from '../webhooks/outbox.service';
import { ErrorCode, problemBody } from '../../common/errors/error-code';

const DEFAULTS_CHANGED = 'defaults.changed' satisfies DomainEventName;

export interface WriteItem {
  op: 'upsert' | 'delete';
  key: string;
  context?: ContextInput;
  value?: unknown;
  confidence?: number;
}

export interface ItemError {
  index: number;
  code: ErrorCode;
  message: string;
}

interface Prepared {
  op: 'upsert' | 'delete';
  key: string;
  context: string;
  json?: string;
  confidence?: number;
}

/** Keys the GET routes use for themselves (GET /defaults/model). */
export const RESERVED_KEYS = new Set(['model']);

class ItemsFailed extends Error {
  constructor(readonly errors: ItemError[]) {
    super('items failed');
  }
}

const pairId = (key: string, context: string) => `${key}\u0000${context}`;

/**
 * Every write (PUT, DELETE, batch) goes through apply(): validate all items, lock the affected
 * rows, write in bulk, audit and record one `defaults.changed` outbox row per item in the same
 * transaction (so a crash after the commit cannot lose an event, and a rollback leaves none);
 * after commit invalidate the cache of each touched key and tell in-process listeners.
 */
@Injectable()
export class DefaultsWriteService {
  constructor(
    private readonly repo: DefaultsRepository,
    private readonly cache: DefaultsCache,
    private readonly audit: AuditService,
    private readonly events: EventEmitter2,
    private readonly outbox: OutboxService,
    @Inject(defaultsConfig.KEY) private readonly cfg: DefaultsConfig,
  ) {}

  async upsert(
    item: Omit<WriteItem, 'op'>,
    ifMatch: '*' | number | undefined,
    actorId: string,
    meta: RequestMeta,
  ): Promise<{ view: DefaultValueView; created: boolean }> {
    const { saved, existed } = await this.single({ ...item, op: 'upsert' }, ifMatch, actorId, meta);
    return { view: toView(saved[0]), created: !existed };
  }

  async remove(
    key: string,
    context: ContextInput,
    ifMatch: '*' | number | undefined,
    actorId: string,
    meta: RequestMeta,
  ): Promise<void> {
    await this.single({ op: 'delete', key, context }, ifMatch, actorId, meta);
  }

  async batch(
    items: unknown[],
    actorId: string,
    meta: RequestMeta,
  ): Promise<{ upserted: number; deleted: number; items: DefaultValueView[] }> {
    if (items.length > this.cfg.batchMax) {
      throw new PayloadTooLargeException(
        problemBody({
          message: `At most ${this.cfg.batchMax} items per batch`,
          code: 'batch-too-large',
        }),
      );
    }
    try {
      const r = await this.apply(
        items.map((raw, i) => this.prepare(raw, i)),
        undefined,
        actorId,
        meta,
      );
      return { upserted: r.saved.length, deleted: r.deleted, items: r.saved.map(toView) };
    } catch (err) {
      if (err instanceof ItemsFailed) {
        throw new UnprocessableEntityException(
          problemBody({
            message: `${err.errors.length} of ${items.length} item(s) failed; nothing was applied`,
            code: 'batch-item-errors',
            errors: err.errors,
          }),
        );
      }
      throw err;
    }
  }

  /** PUT/DELETE: the same path, with the item's error mapped to its own status. */
  private async single(item: WriteItem, ifMatch: '*' | number | undefined, actorId: string, meta: RequestMeta) {
    try {
      return await this.apply([this.prepare(item, 0)], ifMatch, actorId, meta);
    } catch (err) {
      if (!(err instanceof ItemsFailed)) throw err;
      const e = err.errors[0];
      const body = problemBody({ message: e.message, code: e.code });
      if (e.code === 'value-too-large') throw new PayloadTooLargeException(body);
      if (e.code === 'precondition-failed') throw new PreconditionFailedException(body);
      if (e.code === 'not-found') throw new NotFoundException(body);
      throw new BadRequestException(body);
    }
  }

  /** Validates one item; returns it prepared or an error marker carried to apply(). */
  private prepare(raw: unknown, index: number): Prepared | ItemError {
    const fail = (code: ErrorCode, message: string): ItemError => ({ index, code, message });
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return fail('invalid-item', 'item must be an object');
    const it = raw as Record<string, unknown>;
    const unknownFields = Object.keys(it).filter((k) => !['op', 'key', 'context', 'value', 'confidence'].includes(k));
    if (unknownFields.length) return fail('invalid-item', `unknown field(s): ${unknownFields.join(', ')}`);
    if (it.op !== 'upsert' && it.op !== 'delete') return fail('invalid-op', 'op must be "upsert" or "delete"');
    if (typeof it.key !== 'string' || !KEY_PATTERN.test(it.key))
      return fail('invalid-key', `key must be 1 to 255 characters of [a-zA-Z0-9._:-]`);
    if (RESERVED_KEYS.has(it.key)) return fail('invalid-key', `key "${it.key}" is reserved`);
    let context: string;
    try {
      context = canonicalContext(it.context as ContextInput);
    } catch (err) {
      return fail('invalid-context', (err as Error).message);
    }
    if (it.op === 'delete') return { op: 'delete', key: it.key, context };
    if (it.value === undefined || it.value === null)
      return fail('invalid-value', 'value is required and may not be null');
    const json = JSON.stringify(it.value);
    if (Buffer.byteLength(json) > this.cfg.maxValueBytes) {
      return fail('value-too-large', `value is larger than ${this.cfg.maxValueBytes} bytes as JSON`);
    }
    const c = it.confidence;
    if (c !== undefined && (typeof c !== 'number' || !Number.isFinite(c) || c < 0 || c > 1)) {
      return fail('invalid-confidence', 'confidence must be a number from 0 to 1');
    }
    return { op: 'upsert', key: it.key, context, json, confidence: c as number | undefined };
  }

  private async apply(
    input: Array<Prepared | ItemError>,
    ifMatch: '*' | number | undefined,
    actorId: string,
    meta: RequestMeta,
  ) {
    const errors = input.filter((x): x is ItemError => 'code' in x);
    const seen = new Set<string>();
    input.forEach((x, index) => {
      if ('code' in x) return;
      const id = pairId(x.key, x.context);
      if (seen.has(id))
        errors.push({ index, code: 'duplicate-item', message: 'the same key and context appear earlier in the batch' });
      seen.add(id);
    });
    if (errors.length) throw new ItemsFailed(errors.sort((a, b) => a.index - b.index));
    const items = input as Prepared[];
    const changes = items.map((it): DefaultsChanged => ({ key: it.key, context: it.context, action: it.op }));

    const result = await this.repo.transaction(async (m) => {
      const existing = new Map((await this.repo.lockPairs(m, items)).map((e) => [pairId(e.key, e.context), e]));
      const failures: ItemError[] = [];
      items.forEach((it, index) => {
        const row = existing.get(pairId(it.key, it.context));
        if (ifMatch !== undefined && (!row || (ifMatch !== '*' && row.version !== ifMatch))) {
          failures.push({
            index,
            code: 'precondition-failed',
            message: row
              ? `If-Match does not match the current version ${row.version}`
              : 'If-Match given but no such default exists',
          });
        } else if (it.op === 'delete' && !row) {
          failures.push({
            index,
            code: 'not-found',
            message: `no default for key "${it.key}" and context "${it.context}"`,
          });
        }
      });
      if (failures.length) throw new ItemsFailed(failures);

      const upserts = items.filter((it) => it.op === 'upsert');
      const saved = await this.repo.upsertMany(
        m,
        upserts.map((it) => ({
          key: it.key,
          context: it.context,
          json: it.json!,
          confidence: it.confidence ?? existing.get(pairId(it.key, it.context))?.confidence ?? 1,
        })),
      );
      const deletes = items.filter((it) => it.op === 'delete').map((it) => existing.get(pairId(it.key, it.context))!);
      await this.repo.deleteIds(
        m,
        deletes.map((d) => d.id),
      );
      await this.audit.recordMany(
        [
          ...saved.map((s) => auditOf('defaults.upsert', actorId, existing.get(pairId(s.key, s.context)), s)),
          ...deletes.map((d) => auditOf('defaults.delete', actorId, d, undefined)),
        ],
        meta,
        m,
      );
      const requestId = currentRequestId() ?? null;
      await this.outbox.addMany(
        changes.map((data) => ({ type: DEFAULTS_CHANGED, data, requestId })),
        m,
      );
      return { saved, deleted: deletes.length, existed: existing.size > 0 };
    });

    this.outbox.notify();
    await this.cache.invalidate(items.map((it) => it.key));
    for (const c of changes) this.events.emit(DEFAULTS_CHANGED, c);
    return result;
  }
}

function snapshot(e: DefaultValueEntity | undefined): Record<string, unknown> | null {
  return e ? { key: e.key, context: e.context, value: e.value, confidence: e.confidence, version: e.version } : null;
}

function auditOf(
  action: string,
  actorId: string,
  before: DefaultValueEntity | undefined,
  after: DefaultValueEntity | undefined,
): AuditEvent {
  const ref = (after ?? before)!;
  return {
    action,
    actorId,
    entityType: AUDIT_ENTITY_TYPE,
    entityId: auditEntityId(ref.key, ref.context),
    oldValues: snapshot(before),
    newValues: snapshot(after),
  };
}

import {
  NotFoundException,
  PayloadTooLargeException,
  PreconditionFailedException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { AuditEvent, AuditService } from '../../common/audit/audit.service';
import type { DefaultsConfig } from '../../config/namespaces';
import type { OutboxService } from '../webhooks/outbox.service';
import type { DefaultsCache } from './cache/defaults-cache';
import type { DefaultsRepository } from './defaults.repository';
import type { DefaultsChanged } from '../../common/events/domain-events';
import { DefaultsWriteService } from './defaults-write.service';
import { DefaultValueEntity } from './entities/default-value.entity';

/**
 * One in-memory "database" shared by the fakes below: rows, audit entries and outbox events.
 * A transaction works on a copy and publishes it only when the work resolves, so a rollback
 * leaves nothing behind, as in Postgres.
 */
class FakeDb {
  rows = new Map<string, DefaultValueEntity>();
  audit: AuditEvent[] = [];
  outbox: { type: string; data: unknown }[] = [];

  async transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    const tx = new FakeDb();
    tx.rows = new Map([...this.rows].map(([k, r]) => [k, { ...r } as DefaultValueEntity]));
    tx.audit = [...this.audit];
    tx.outbox = [...this.outbox];
    const result = await work(tx as unknown as EntityManager);
    Object.assign(this, { rows: tx.rows, audit: tx.audit, outbox: tx.outbox });
    return result;
  }
}

const DEFAULTS_CHANGED = 'defaults.changed';
const pair = (key: string, context: string) => `${key}\u0000${context}`;
const tx = (m: EntityManager) => m as unknown as FakeDb;

class FakeDefaultsRepository {
  constructor(private readonly db: FakeDb) {}

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  async lockPairs(m: EntityManager, pairs: Array<{ key: string; context: string }>): Promise<DefaultValueEntity[]> {
    return pairs.map((p) => tx(m).rows.get(pair(p.key, p.context))).filter((r): r is DefaultValueEntity => !!r);
  }

  async upsertMany(
    m: EntityManager,
    rows: { key: string; context: string; json: string; confidence: number }[],
  ): Promise<DefaultValueEntity[]> {
    return rows.map((r) => {
      const old = tx(m).rows.get(pair(r.key, r.context));
      const now = new Date();
      const row = Object.assign(new DefaultValueEntity(), {
        id: old?.id ?? randomUUID(),
        key: r.key,
        context: r.context,
        value: JSON.parse(r.json),
        confidence: r.confidence,
        usageCount: old?.usageCount ?? 0,
        successCount: 0,
        failureCount: 0,
        lastUsedAt: null,
        createdAt: old?.createdAt ?? now,
        updatedAt: now,
        version: old ? old.version + 1 : 1,
      });
      tx(m).rows.set(pair(r.key, r.context), row);
      return row;
    });
  }

  async deleteIds(m: EntityManager, ids: string[]): Promise<void> {
    for (const [k, r] of tx(m).rows) if (ids.includes(r.id)) tx(m).rows.delete(k);
  }
}

class FakeAudit {
  async recordMany(events: AuditEvent[], _meta: unknown, m: EntityManager): Promise<void> {
    tx(m).audit.push(...events);
  }
}

class FakeOutbox {
  notified = 0;
  async addMany(events: { type: string; data: unknown }[], m: EntityManager): Promise<void> {
    tx(m).outbox.push(...events.map(({ type, data }) => ({ type, data })));
  }
  notify(): void {
    this.notified++;
  }
}

class FakeCache {
  invalidated: string[] = [];
  async invalidate(keys: Iterable<string>): Promise<void> {
    this.invalidated.push(...keys);
  }
}

function setup(cfg: Partial<DefaultsConfig> = {}) {
  const db = new FakeDb();
  const cache = new FakeCache();
  const outbox = new FakeOutbox();
  const events = new EventEmitter2();
  const emitted: DefaultsChanged[] = [];
  events.on(DEFAULTS_CHANGED, (e: DefaultsChanged) => emitted.push(e));
  const service = new DefaultsWriteService(
    new FakeDefaultsRepository(db) as unknown as DefaultsRepository,
    cache as unknown as DefaultsCache,
    new FakeAudit() as unknown as AuditService,
    events,
    outbox as unknown as OutboxService,
    { batchMax: 10, maxValueBytes: 64, ...cfg } as DefaultsConfig,
  );
  return { service, db, cache, outbox, emitted };
}

const actor = randomUUID();
const meta = { requestId: 'req-1', ip: '203.0.113.9', userAgent: 'jest' };

describe('DefaultsWriteService (in-memory repository, audit, outbox and cache)', () => {
  it('creates a default, then updates it with a bumped version, auditing, queueing an event and invalidating the key each time', async () => {
    const { service, db, cache, outbox, emitted } = setup();
    const first = await service.upsert(
      { key: 'ui.theme', context: { country: 'FR' }, value: 'dark' },
      undefined,
      actor,
      meta,
    );
    expect(first.created).toBe(true);
    expect(first.view).toMatchObject({
      key: 'ui.theme',
      context: 'country=FR',
      value: 'dark',
      confidence: 1,
      version: 1,
    });

    const second = await service.upsert(
      { key: 'ui.theme', context: { country: 'FR' }, value: 'light' },
      1,
      actor,
      meta,
    );
    expect(second.created).toBe(false);
    expect(second.view).toMatchObject({ value: 'light', version: 2, id: first.view.id });
    expect(db.audit.map((a) => [a.action, a.oldValues?.value ?? null, a.newValues?.value])).toEqual([
      ['defaults.upsert', null, 'dark'],
      ['defaults.upsert', 'dark', 'light'],
    ]);
    expect(db.outbox).toEqual([
      { type: DEFAULTS_CHANGED, data: { key: 'ui.theme', context: 'country=FR', action: 'upsert' } },
      { type: DEFAULTS_CHANGED, data: { key: 'ui.theme', context: 'country=FR', action: 'upsert' } },
    ]);
    expect(outbox.notified).toBe(2);
    expect(cache.invalidated).toEqual(['ui.theme', 'ui.theme']);
    expect(emitted).toHaveLength(2);
  });

  it('keeps the stored confidence when an update does not give one', async () => {
    const { service } = setup();
    await service.upsert({ key: 'k', value: 1, confidence: 0.4 }, undefined, actor, meta);
    expect((await service.upsert({ key: 'k', value: 2 }, undefined, actor, meta)).view.confidence).toBe(0.4);
  });

  it('answers 412 to a stale If-Match and changes nothing', async () => {
    const { service, db, cache, emitted } = setup();
    await service.upsert({ key: 'k', value: 1 }, undefined, actor, meta);
    await expect(service.upsert({ key: 'k', value: 2 }, 7, actor, meta)).rejects.toBeInstanceOf(
      PreconditionFailedException,
    );
    await expect(service.upsert({ key: 'absent', value: 2 }, '*', actor, meta)).rejects.toBeInstanceOf(
      PreconditionFailedException,
    );
    expect([...db.rows.values()].map((r) => [r.key, r.value, r.version])).toEqual([['k', 1, 1]]);
    expect(db.outbox).toHaveLength(1);
    expect(cache.invalidated).toEqual(['k']);
    expect(emitted).toHaveLength(1);
  });

  it('deletes a default (404 when there is none), recording the old value and a delete event', async () => {
    const { service, db } = setup();
    await expect(service.remove('k', null, undefined, actor, meta)).rejects.toBeInstanceOf(NotFoundException);
    await service.upsert({ key: 'k', value: 'v' }, undefined, actor, meta);
    await service.remove('k', null, undefined, actor, meta);
    expect(db.rows.size).toBe(0);
    expect(db.audit.at(-1)).toMatchObject({ action: 'defaults.delete', oldValues: { value: 'v' }, newValues: null });
    expect(db.outbox.at(-1)).toEqual({ type: DEFAULTS_CHANGED, data: { key: 'k', context: '', action: 'delete' } });
  });

  it('applies a batch all together, or, when any item fails, nothing at all, listing every failing item', async () => {
    const { service, db, cache } = setup();
    const ok = await service.batch(
      [
        { op: 'upsert', key: 'a', value: 1 },
        { op: 'upsert', key: 'b', value: 2 },
      ],
      actor,
      meta,
    );
    expect(ok).toMatchObject({ upserted: 2, deleted: 0 });

    const bad = service.batch(
      [
        { op: 'upsert', key: 'c', value: 3 },
        { op: 'delete', key: 'a' },
        { op: 'delete', key: 'missing' },
        { op: 'upsert', key: 'c', value: 4 },
        { op: 'upsert', key: 'model', value: 5 },
        { op: 'upsert', key: 'd', value: 'x'.repeat(100) },
      ],
      actor,
      meta,
    );
    await expect(bad).rejects.toBeInstanceOf(UnprocessableEntityException);
    const body = (await bad.catch((e: UnprocessableEntityException) => e.getResponse())) as {
      errors: { index: number; code: string }[];
    };
    expect(body.errors.map((e) => [e.index, e.code])).toEqual([
      [3, 'duplicate-item'],
      [4, 'invalid-key'],
      [5, 'value-too-large'],
    ]);
    // Validation passes but the delete of a missing row fails inside the transaction: rolled back.
    await expect(
      service.batch(
        [
          { op: 'upsert', key: 'c', value: 3 },
          { op: 'delete', key: 'missing' },
        ],
        actor,
        meta,
      ),
    ).rejects.toBeInstanceOf(UnprocessableEntityException);
    expect([...db.rows.values()].map((r) => r.key).sort()).toEqual(['a', 'b']);
    expect(db.outbox).toHaveLength(2);
    expect(db.audit).toHaveLength(2);
    expect(cache.invalidated).toEqual(['a', 'b']);
  });

  it('refuses a batch over DEFAULTS_BATCH_MAX with 413 before looking at the items', async () => {
    const { service, db } = setup({ batchMax: 2 });
    const items = [1, 2, 3].map((n) => ({ op: 'upsert', key: `k${n}`, value: n }));
    await expect(service.batch(items, actor, meta)).rejects.toBeInstanceOf(PayloadTooLargeException);
    expect(db.rows.size).toBe(0);
  });
});

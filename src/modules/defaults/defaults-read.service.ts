import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { Counter } from 'prom-client';
import { AuditService } from '../../common/audit/audit.service';
import { defaultsConfig, DefaultsConfig } from '../../config/namespaces';
import { DefaultsCache } from './cache/defaults-cache';
import { UsageCounter } from './usage-counter';
import { formatContext, splitCanonical } from './context';
import { DEFAULTS_RESOLVE_TOTAL } from './defaults.metrics';
import { DefaultsRepository, SortField } from './defaults.repository';
import { AUDIT_ENTITY_TYPE, auditEntityId, DefaultValueView, toView } from './defaults.view';
import { problemBody } from '../../common/errors/error-code';

export type MatchKind = 'exact' | 'fallback' | 'global';

export interface Resolution {
  key: string;
  /** The canonical context that was asked for. */
  context: string;
  matchedContext: string;
  match: MatchKind;
  reason: string;
  value: unknown;
  confidence: number;
  version: number;
  updatedAt: string;
}

/** What is cached: a resolution (with the row id for usage counting) or a remembered miss. */
type Cached = { found: true; rowId: string; resolution: Resolution } | { found: false };

export interface ListParams {
  key?: string;
  keyPrefix?: string;
  attributes: string;
  sort: string;
  limit: number;
  page?: number;
  cursor?: string;
}

const SORTS: Record<string, SortField> = {
  key: 'key',
  updatedAt: 'updatedAt',
  confidence: 'confidence',
  usageCount: 'usageCount',
};

@Injectable()
export class DefaultsReadService {
  constructor(
    private readonly repo: DefaultsRepository,
    private readonly cache: DefaultsCache,
    private readonly usage: UsageCounter,
    private readonly audit: AuditService,
    @Inject(defaultsConfig.KEY) private readonly cfg: DefaultsConfig,
    @InjectMetric(DEFAULTS_RESOLVE_TOTAL) private readonly resolves: Counter<string>,
  ) {}

  /** Resolve with fallback; null when nothing applies. `context` is canonical. */
  async resolve(key: string, context: string): Promise<Resolution | null> {
    // The generation is read before Postgres: see DefaultsCache for why that order matters.
    const generation = await this.cache.generation(key);
    const cacheKey = generation === null ? null : this.cache.cacheKey(key, context, generation);
    if (cacheKey) {
      const hit = await this.cache.get<Cached>(cacheKey);
      if (hit) {
        this.resolves.inc({ source: hit.found ? 'cache' : 'negative_cache' });
        if (!hit.found) return null;
        this.usage.record(hit.rowId);
        return hit.resolution;
      }
    }
    this.resolves.inc({ source: cacheKey ? 'cache_miss' : 'db_no_cache' });
    const asked = splitCanonical(context);
    const row = await this.repo.resolve(
      key,
      asked.map(([n, v]) => `${n}=${v}`),
    );
    const entry: Cached = row
      ? { found: true, rowId: row.id, resolution: describe(key, context, asked.length, row) }
      : { found: false };
    if (cacheKey)
      await this.cache.set(cacheKey, entry, entry.found ? this.cfg.cacheTtlSeconds : this.cfg.negativeCacheTtlSeconds);
    if (!entry.found) return null;
    this.usage.record(entry.rowId);
    return entry.resolution;
  }

  async list(
    p: ListParams,
  ): Promise<{ items: DefaultValueView[]; nextCursor: string | null; page?: number; total?: number }> {
    const sortName = p.sort.replace(/^-/, '');
    const sort = SORTS[sortName];
    if (!sort)
      throw new BadRequestException(
        problemBody({
          message: `sort must be one of ${Object.keys(SORTS).join(', ')} (prefix - for descending)`,
          code: 'invalid-sort',
        }),
      );
    const desc = p.sort.startsWith('-');
    if (p.cursor !== undefined && p.page !== undefined)
      throw new BadRequestException(problemBody({ message: 'Use either cursor or page', code: 'invalid-pagination' }));
    if (p.cursor !== undefined && sort !== 'key')
      throw new BadRequestException(
        problemBody({
          message: 'cursor pagination needs sort=key or sort=-key; use page for other sorts',
          code: 'invalid-pagination',
        }),
      );
    const after = p.cursor !== undefined ? decodeCursor(p.cursor) : undefined;
    const attributes = splitCanonical(p.attributes).map(([n, v]) => `${n}=${v}`);
    const { items, total } = await this.repo.list({
      key: p.key,
      keyPrefix: p.keyPrefix,
      attributes,
      sort,
      desc,
      limit: p.limit,
      page: p.page,
      after,
    });
    const last = items[items.length - 1];
    const nextCursor =
      p.page === undefined && sort === 'key' && last && items.length === p.limit
        ? encodeCursor(last.key, last.context)
        : null;
    return { items: items.map(toView), nextCursor, ...(p.page !== undefined ? { page: p.page, total } : {}) };
  }

  async history(key: string, context: string, page: number, limit: number) {
    const { items, total } = await this.audit.search({
      entityType: AUDIT_ENTITY_TYPE,
      entityId: auditEntityId(key, context),
      page,
      limit,
    });
    return {
      key,
      context,
      total,
      page,
      items: items.map((a) => ({
        action: a.action,
        actorId: a.actorId,
        at: a.createdAt.toISOString(),
        oldValue: a.oldValues,
        newValue: a.newValues,
        requestId: a.requestId,
      })),
    };
  }
}

function describe(
  key: string,
  context: string,
  askedCount: number,
  row: { id: string; context: string; value: unknown; confidence: number; version: number; updatedAt: Date },
): Resolution {
  const matchedCount = splitCanonical(row.context).length;
  const match: MatchKind = row.context === context ? 'exact' : row.context === '' ? 'global' : 'fallback';
  const reason =
    match === 'exact'
      ? 'a default is stored for exactly this context'
      : match === 'global'
        ? 'no stored context of this key is contained in the asked context; the global default applies'
        : `no default for the exact context; "${row.context}" is the largest stored subset (${matchedCount} of ${askedCount} attributes)`;
  return {
    key,
    context: formatContext(splitCanonical(context)),
    matchedContext: row.context,
    match,
    reason,
    value: row.value,
    confidence: row.confidence,
    version: row.version,
    updatedAt: row.updatedAt.toISOString(),
  };
}

function encodeCursor(key: string, context: string): string {
  return Buffer.from(JSON.stringify([key, context])).toString('base64url');
}

function decodeCursor(cursor: string): { key: string; context: string } {
  try {
    const [key, context] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown[];
    if (typeof key === 'string' && typeof context === 'string') return { key, context };
  } catch {
    /* fall through */
  }
  throw new BadRequestException(problemBody({ message: 'cursor is not valid', code: 'invalid-cursor' }));
}

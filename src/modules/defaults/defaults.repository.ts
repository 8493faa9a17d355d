import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DefaultValueEntity } from './entities/default-value.entity';
import { Transactions } from '../../database/transactions';

export interface UpsertRow {
  key: string;
  context: string;
  /** JSON text of the value. */
  json: string;
  confidence: number;
}

export interface ListQuery {
  key?: string;
  keyPrefix?: string;
  /** Canonical pairs every returned row's context must contain. */
  attributes: string[];
  sort: SortField;
  desc: boolean;
  limit: number;
  page?: number;
  /** Keyset position for sort=key: the last (key, context) of the previous page. */
  after?: { key: string; context: string };
}

export type SortField = 'key' | 'updatedAt' | 'confidence' | 'usageCount';
const SORT_COLUMN: Record<SortField, string> = {
  key: 'key',
  updatedAt: 'updated_at',
  confidence: 'confidence',
  usageCount: 'usage_count',
};

const COLUMNS = `id, key, context, value, confidence, usage_count, success_count, failure_count, last_used_at, created_at, updated_at, version`;

type RawRow = Record<string, unknown>;

function toEntity(r: RawRow): DefaultValueEntity {
  const e = new DefaultValueEntity();
  Object.assign(e, {
    id: r.id,
    key: r.key,
    context: r.context,
    value: r.value,
    confidence: Number(r.confidence),
    usageCount: Number(r.usage_count),
    successCount: Number(r.success_count),
    failureCount: Number(r.failure_count),
    lastUsedAt: r.last_used_at ? new Date(r.last_used_at as string) : null,
    createdAt: new Date(r.created_at as string),
    updatedAt: new Date(r.updated_at as string),
    version: Number(r.version),
  });
  return e;
}

/**
 * Data access for default values. Bulk writes go through unnest() so a 1000-item batch is a
 * handful of statements, not thousands.
 */
@Injectable()
export class DefaultsRepository {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly tx: Transactions,
  ) {}

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.tx.run(work);
  }

  /**
   * The exact row, else the row whose context is the largest subset of the asked one (ties:
   * higher confidence, then most recently updated, then context order), else the global row.
   */
  async resolve(key: string, attributes: string[]): Promise<DefaultValueEntity | null> {
    const rows: RawRow[] = await this.ds.query(
      `SELECT ${COLUMNS} FROM default_values
        WHERE key = $1 AND string_to_array(context, ';') <@ $2::text[]
        ORDER BY cardinality(string_to_array(context, ';')) DESC, confidence DESC, updated_at DESC, context ASC
        LIMIT 1`,
      [key, attributes],
    );
    return rows.length ? toEntity(rows[0]) : null;
  }

  async findOne(key: string, context: string): Promise<DefaultValueEntity | null> {
    const rows: RawRow[] = await this.ds.query(
      `SELECT ${COLUMNS} FROM default_values WHERE key = $1 AND context = $2`,
      [key, context],
    );
    return rows.length ? toEntity(rows[0]) : null;
  }

  /** Rows of a key for predict, most used first. */
  async forKey(key: string, limit: number): Promise<DefaultValueEntity[]> {
    const rows: RawRow[] = await this.ds.query(
      `SELECT ${COLUMNS} FROM default_values WHERE key = $1 ORDER BY usage_count DESC, updated_at DESC LIMIT $2`,
      [key, limit],
    );
    return rows.map(toEntity);
  }

  async list(q: ListQuery): Promise<{ items: DefaultValueEntity[]; total?: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    if (q.key) where.push(`key = ${p(q.key)}`);
    if (q.keyPrefix) where.push(`starts_with(key, ${p(q.keyPrefix)})`);
    if (q.attributes.length) where.push(`string_to_array(context, ';') @> ${p(q.attributes)}::text[]`);
    const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const dir = q.desc ? 'DESC' : 'ASC';
    const order = `ORDER BY ${SORT_COLUMN[q.sort]} ${dir}, key ${dir}, context ${dir}`;
    if (q.page === undefined) {
      const keyset = q.after ? `(key, context) ${q.desc ? '<' : '>'} (${p(q.after.key)}, ${p(q.after.context)})` : '';
      const cond = [filter.replace(/^WHERE /, ''), keyset].filter(Boolean).join(' AND ');
      const rows: RawRow[] = await this.ds.query(
        `SELECT ${COLUMNS} FROM default_values ${cond ? `WHERE ${cond}` : ''} ${order} LIMIT ${p(q.limit)}`,
        params,
      );
      return { items: rows.map(toEntity) };
    }
    const countParams = [...params];
    const rows: RawRow[] = await this.ds.query(
      `SELECT ${COLUMNS} FROM default_values ${filter} ${order} LIMIT ${p(q.limit)} OFFSET ${p((q.page - 1) * q.limit)}`,
      params,
    );
    const [{ n }] = (await this.ds.query(
      `SELECT count(*)::int AS n FROM default_values ${filter}`,
      countParams,
    )) as Array<{ n: number }>;
    return { items: rows.map(toEntity), total: n };
  }

  /** Locks the existing rows of these (key, context) pairs for the rest of the transaction. */
  async lockPairs(m: EntityManager, pairs: Array<{ key: string; context: string }>): Promise<DefaultValueEntity[]> {
    if (!pairs.length) return [];
    const rows: RawRow[] = await m.query(
      `SELECT ${COLUMNS} FROM default_values
        WHERE (key, context) IN (SELECT * FROM unnest($1::varchar[], $2::varchar[]))
        ORDER BY id FOR UPDATE`,
      [pairs.map((x) => x.key), pairs.map((x) => x.context)],
    );
    return rows.map(toEntity);
  }

  async upsertMany(m: EntityManager, rows: UpsertRow[]): Promise<DefaultValueEntity[]> {
    if (!rows.length) return [];
    const out: RawRow[] = await m.query(
      `INSERT INTO default_values (key, context, value, confidence)
       SELECT k, c, v::jsonb, conf FROM unnest($1::varchar[], $2::varchar[], $3::text[], $4::float8[]) AS t(k, c, v, conf)
       ON CONFLICT (key, context) DO UPDATE
         SET value = EXCLUDED.value, confidence = EXCLUDED.confidence,
             updated_at = now(), version = default_values.version + 1
       RETURNING ${COLUMNS}`,
      [rows.map((r) => r.key), rows.map((r) => r.context), rows.map((r) => r.json), rows.map((r) => r.confidence)],
    );
    return out.map(toEntity);
  }

  async deleteIds(m: EntityManager, ids: string[]): Promise<void> {
    if (ids.length) await m.query(`DELETE FROM default_values WHERE id = ANY($1::uuid[])`, [ids]);
  }

  /** Adds flushed usage counts; rows deleted in the meantime are simply skipped. */
  async addUsage(counts: Map<string, number>): Promise<void> {
    if (!counts.size) return;
    await this.ds.query(
      `UPDATE default_values d SET usage_count = d.usage_count + t.n, last_used_at = now()
         FROM unnest($1::uuid[], $2::bigint[]) AS t(id, n) WHERE d.id = t.id`,
      [[...counts.keys()], [...counts.values()]],
    );
  }

  /**
   * Counts one principal's outcome for a stored row as ONE vote: their first outcome adds to
   * success_count or failure_count, a later opposite outcome moves their vote, a repeated one
   * changes nothing. So 95 "accepted" calls from one user weigh as much as one. The row lock
   * serialises a principal's concurrent calls; `feedbackId` is the outcome just inserted.
   * Returns whether the counters changed.
   */
  async recordVote(
    m: EntityManager,
    id: string,
    actorId: string,
    accepted: boolean,
    feedbackId: string,
  ): Promise<boolean> {
    const locked: unknown[] = await m.query(`SELECT 1 FROM default_values WHERE id = $1 FOR UPDATE`, [id]);
    if (!locked.length) return false;
    const prev: Array<{ accepted: boolean }> = await m.query(
      `SELECT accepted FROM default_feedback WHERE default_value_id = $1 AND actor_id = $2 AND id <> $3
        ORDER BY created_at DESC, id DESC LIMIT 1`,
      [id, actorId, feedbackId],
    );
    const [add, sub] = accepted ? ['success_count', 'failure_count'] : ['failure_count', 'success_count'];
    if (!prev.length) {
      await m.query(`UPDATE default_values SET ${add} = ${add} + 1, last_used_at = now() WHERE id = $1`, [id]);
      return true;
    }
    if (prev[0].accepted === accepted) return false;
    await m.query(
      `UPDATE default_values SET ${add} = ${add} + 1, ${sub} = GREATEST(0, ${sub} - 1), last_used_at = now() WHERE id = $1`,
      [id],
    );
    return true;
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';

/** Work that commits as a whole or not at all: every statement goes through `m`. */
export type UnitOfWork<T> = (m: EntityManager) => Promise<T>;

/**
 * The one way to open a database transaction. Repositories call it (their `transaction()`
 * methods hand it on to services that coordinate several repositories, e.g. a change and its
 * outbox event); nothing else calls `DataSource.transaction` or opens a query runner.
 */
@Injectable()
export class Transactions {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  run<T>(work: UnitOfWork<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }
}

import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/**
 * What a module holds about a user. Every module that stores user-owned rows registers one
 * (in its `onModuleInit`), so `GET /auth/me/export` and `DELETE /auth/me` cover it without the
 * auth module knowing the module exists.
 */
export interface UserDataContributor {
  /** Key of this module's section in the export document (unique). */
  name: string;
  /** Everything held about the user, as plain JSON-serialisable data. */
  export(userId: string): Promise<unknown>;
  /**
   * Deletes (or anonymises) the user's rows using `manager`, which runs inside the erasure
   * transaction: if any contributor fails, nothing is erased.
   */
  erase(userId: string, manager: EntityManager): Promise<void>;
}

@Injectable()
export class PrivacyRegistry {
  private readonly contributors = new Map<string, UserDataContributor>();

  register(contributor: UserDataContributor): void {
    if (this.contributors.has(contributor.name)) {
      throw new Error(`privacy contributor "${contributor.name}" registered twice`);
    }
    this.contributors.set(contributor.name, contributor);
  }

  all(): UserDataContributor[] {
    return [...this.contributors.values()];
  }
}

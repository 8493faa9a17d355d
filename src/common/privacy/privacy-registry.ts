import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { EntityManager } from 'typeorm';

/**
 * What a module holds about a user. Every module that stores user-owned rows provides one, so
 * `GET /auth/me/export` and `DELETE /auth/me` cover it without the auth module knowing the
 * module exists.
 */
export interface UserDataContributor {
  /** Key of this module's section in the export document (unique). */
  readonly name: string;
  /** Everything held about the user, as plain JSON-serialisable data. */
  export(userId: string): Promise<unknown>;
  /**
   * Deletes (or anonymises) the user's rows using `manager`, which runs inside the erasure
   * transaction: if any contributor fails, nothing is erased.
   */
  erase(userId: string, manager: EntityManager): Promise<void>;
}

/**
 * The one way to contribute: an `@Injectable()` provider of the module that owns the rows,
 * marked `@PrivacyContributor()` and implementing UserDataContributor. The registry finds every
 * marked provider when the application starts; no module registers by hand.
 */
export const PrivacyContributor = DiscoveryService.createDecorator<void>();

@Injectable()
export class PrivacyRegistry implements OnModuleInit {
  private readonly contributors = new Map<string, UserDataContributor>();

  constructor(private readonly discovery: DiscoveryService) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders({ metadataKey: PrivacyContributor.KEY })) {
      if (wrapper.instance) this.register(wrapper.instance as UserDataContributor);
    }
  }

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

import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { PrivacyContributor, UserDataContributor } from '../../../common/privacy/privacy-registry';
import { ApiKeysRepository } from '../api-keys/api-keys.repository';
import { toApiKeyView } from '../api-keys/api-keys.service';

/** API key metadata (never the secret hash): exported, and deleted with the account. */
@PrivacyContributor()
@Injectable()
export class ApiKeysPrivacy implements UserDataContributor {
  readonly name = 'apiKeys';

  constructor(private readonly apiKeys: ApiKeysRepository) {}

  async export(userId: string) {
    return (await this.apiKeys.allForUser(userId)).map((k) => ({ ...toApiKeyView(k), revokedAt: k.revokedAt }));
  }

  erase(userId: string, manager: EntityManager): Promise<void> {
    return this.apiKeys.deleteForUser(userId, manager);
  }
}

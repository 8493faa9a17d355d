import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { PrivacyContributor, UserDataContributor } from '../../../common/privacy/privacy-registry';
import { AskUsageService } from './ask-usage.service';

/** Questions and tokens per day: exported, and deleted with the account. */
@PrivacyContributor()
@Injectable()
export class AskUsagePrivacy implements UserDataContributor {
  readonly name = 'ask';

  constructor(private readonly usage: AskUsageService) {}

  async export(userId: string) {
    return { usage: await this.usage.history(userId, 100000) };
  }

  erase(userId: string, manager: EntityManager): Promise<void> {
    return this.usage.deleteForUser(userId, manager);
  }
}

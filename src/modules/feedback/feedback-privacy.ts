import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { PrivacyContributor, UserDataContributor } from '../../common/privacy/privacy-registry';
import { FeedbackRepository } from './feedback.repository';
import { toFeedbackView } from './feedback.service';

/** Feedback a user submitted (with a token or one of their API keys) is theirs: exported and erased with the account. */
@PrivacyContributor()
@Injectable()
export class FeedbackPrivacy implements UserDataContributor {
  readonly name = 'feedback';

  constructor(private readonly repo: FeedbackRepository) {}

  async export(userId: string) {
    return (await this.repo.forUser(userId)).map(toFeedbackView);
  }

  erase(userId: string, manager: EntityManager): Promise<void> {
    return this.repo.deleteForUser(userId, manager);
  }
}

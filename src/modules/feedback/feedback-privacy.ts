import { Injectable, OnModuleInit } from '@nestjs/common';
import { PrivacyRegistry } from '../../common/privacy/privacy-registry';
import { FeedbackRepository } from './feedback.repository';
import { toFeedbackView } from './feedback.service';

/** Feedback a user submitted (with a token or one of their API keys) is theirs: exported and erased with the account. */
@Injectable()
export class FeedbackPrivacy implements OnModuleInit {
  constructor(
    private readonly registry: PrivacyRegistry,
    private readonly repo: FeedbackRepository,
  ) {}

  onModuleInit(): void {
    this.registry.register({
      name: 'feedback',
      export: async (userId) => (await this.repo.forUser(userId)).map(toFeedbackView),
      erase: (userId, m) => this.repo.deleteForUser(userId, m),
    });
  }
}

import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { PrivacyContributor, UserDataContributor } from '../../common/privacy/privacy-registry';
import { FeedbackRepository } from './feedback.repository';

/** Feedback events name who reported them: exported, and anonymised on erasure. */
@PrivacyContributor()
@Injectable()
export class DefaultsPrivacy implements UserDataContributor {
  readonly name = 'defaultsFeedback';

  constructor(private readonly feedback: FeedbackRepository) {}

  async export(userId: string) {
    return (await this.feedback.byActor(userId)).map((f) => ({
      key: f.key,
      context: f.context,
      value: f.value,
      accepted: f.accepted,
      createdAt: f.createdAt,
    }));
  }

  erase(userId: string, manager: EntityManager): Promise<void> {
    return this.feedback.anonymise(userId, manager);
  }
}

import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { PrivacyContributor, UserDataContributor } from '../../../common/privacy/privacy-registry';
import { SessionsRepository } from '../sessions/sessions.repository';
import { toSessionView } from '../sessions/sessions.service';

/** Every session, revoked ones too (when, from where): exported, and deleted with the account. */
@PrivacyContributor()
@Injectable()
export class SessionsPrivacy implements UserDataContributor {
  readonly name = 'sessions';

  constructor(private readonly sessions: SessionsRepository) {}

  async export(userId: string) {
    return (await this.sessions.findAllForUser(userId)).map((s) => ({ ...toSessionView(s), revokedAt: s.revokedAt }));
  }

  erase(userId: string, manager: EntityManager): Promise<void> {
    return this.sessions.deleteForUser(userId, manager);
  }
}

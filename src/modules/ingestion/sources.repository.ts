import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import { SourceEntity } from './entities/source.entity';

@Injectable()
export class SourcesRepository {
  constructor(@InjectRepository(SourceEntity) private readonly repo: Repository<SourceEntity>) {}

  create(
    data: Omit<SourceEntity, 'id' | 'createdAt' | 'updatedAt' | 'user' | 'lastJobId' | 'status'>,
  ): Promise<SourceEntity> {
    return this.repo.save(this.repo.create(data));
  }

  find(id: string): Promise<SourceEntity | null> {
    return this.repo.findOne({ where: { id } });
  }

  findOwned(id: string, userId: string): Promise<SourceEntity | null> {
    return this.repo.findOne({ where: { id, userId } });
  }

  /** Ids of the user's sources (only those among `among` when given): what a question may search. */
  async ownedIds(userId: string, among?: string[]): Promise<string[]> {
    const rows = await this.repo.find({ select: { id: true }, where: { userId, ...(among ? { id: In(among) } : {}) } });
    return rows.map((r) => r.id);
  }

  listForUser(userId: string, limit = 100, offset = 0): Promise<SourceEntity[]> {
    return this.repo.find({ where: { userId }, order: { createdAt: 'DESC' }, take: limit, skip: offset });
  }

  async setLastJob(id: string, jobId: string): Promise<void> {
    await this.repo.update({ id }, { lastJobId: jobId, status: 'queued' });
  }

  async delete(id: string): Promise<void> {
    await this.repo.delete({ id });
  }

  async deleteForUser(userId: string, m: EntityManager): Promise<void> {
    await m.delete(SourceEntity, { userId });
  }
}

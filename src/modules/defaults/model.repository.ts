import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { DefaultsModelEntity } from './entities/defaults-model.entity';

@Injectable()
export class ModelRepository {
  constructor(@InjectRepository(DefaultsModelEntity) private readonly repo: Repository<DefaultsModelEntity>) {}

  async newest(): Promise<DefaultsModelEntity | null> {
    return (await this.repo.find({ order: { version: 'DESC' }, take: 1 }))[0] ?? null;
  }

  /** Version = previous + 1; a concurrent trainer loses on the unique version (and retries). */
  async insertNext(row: Pick<DefaultsModelEntity, 'weights' | 'metrics' | 'trainedAt'>): Promise<DefaultsModelEntity> {
    const prev = await this.newest();
    return this.repo.save(this.repo.create({ ...row, version: (prev?.version ?? 0) + 1 }));
  }
}

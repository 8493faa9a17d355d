import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import type { Role } from '../../../common/auth/principal';
import { UserEntity } from './user.entity';

export interface UserStatus {
  role: Role;
  disabled: boolean;
}

/** Data access for users (the port services depend on). The hash is only read on purpose. */
@Injectable()
export class UsersRepository {
  constructor(@InjectRepository(UserEntity) private readonly repo: Repository<UserEntity>) {}

  create(data: Pick<UserEntity, 'email' | 'passwordHash' | 'displayName' | 'role'>): Promise<UserEntity> {
    return this.repo.save(this.repo.create(data));
  }

  findById(id: string): Promise<UserEntity | null> {
    return this.repo.findOne({ where: { id } });
  }

  findByEmail(email: string): Promise<UserEntity | null> {
    return this.repo.findOne({ where: { email } });
  }

  async findWithHashByEmail(email: string): Promise<UserEntity | null> {
    return this.repo.createQueryBuilder('u').addSelect('u.passwordHash').where('u.email = :email', { email }).getOne();
  }

  async findHashById(id: string): Promise<string | null> {
    const row = await this.repo
      .createQueryBuilder('u')
      .select('u.id')
      .addSelect('u.passwordHash')
      .where('u.id = :id', { id })
      .getOne();
    return row?.passwordHash ?? null;
  }

  async status(id: string): Promise<UserStatus | null> {
    const row = await this.repo.findOne({ where: { id }, select: { id: true, role: true, disabled: true } });
    return row ? { role: row.role, disabled: row.disabled } : null;
  }

  async update(
    id: string,
    patch: Partial<Pick<UserEntity, 'displayName' | 'role' | 'disabled' | 'passwordHash' | 'passwordChangedAt'>>,
  ): Promise<void> {
    await this.repo.update({ id }, patch);
  }

  async list(q: { email?: string; page: number; limit: number }): Promise<{ items: UserEntity[]; total: number }> {
    const qb = this.repo.createQueryBuilder('u');
    if (q.email) qb.where('u.email LIKE :email', { email: `%${q.email.replace(/[\\%_]/g, (c) => `\\${c}`)}%` });
    const [items, total] = await qb
      .orderBy('u.created_at', 'ASC')
      .addOrderBy('u.id', 'ASC')
      .skip((q.page - 1) * q.limit)
      .take(q.limit)
      .getManyAndCount();
    return { items, total };
  }

  async delete(id: string, manager: EntityManager): Promise<void> {
    await manager.delete(UserEntity, { id });
  }
}

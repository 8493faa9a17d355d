import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { UserEntity } from '../../auth/users/user.entity';

/** Questions asked and provider tokens used by one user on one UTC day (the quota's ledger). */
@Entity('ask_usage')
export class AskUsageEntity {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  @PrimaryColumn({ type: 'date' })
  day: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;

  @Column({ type: 'int', default: 0 })
  questions: number;

  @Column({ type: 'bigint', default: 0 })
  tokens: string;
}

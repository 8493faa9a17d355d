import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A fitted set of predict weights; predict uses the highest version. */
@Entity('defaults_models')
export class DefaultsModelEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'integer', unique: true })
  version: number;

  @Column({ type: 'jsonb' })
  weights: Record<string, number>;

  /** Hold-out log-loss/AUC of this model and of the one it replaced, sizes of the split. */
  @Column({ type: 'jsonb' })
  metrics: Record<string, number | null>;

  @Column({ name: 'trained_at', type: 'timestamptz' })
  trainedAt: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

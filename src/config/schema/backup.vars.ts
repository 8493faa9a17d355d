import { int, str, VarSpec } from './kinds';

/** Environment variables of the `backup` group (npm run db:backup / db:restore; see ../env.schema.ts). */
export const BACKUP_VARS = {
  BACKUP_DIR: str({
    group: 'backup',
    default: './backups',
    minLength: 1,
    doc: 'Directory db:backup writes pg_dump archives to (relative to the working directory)',
  }),
  BACKUP_RETENTION: int({
    group: 'backup',
    default: 7,
    min: 1,
    max: 1000,
    doc: 'db:backup keeps this many newest archives in BACKUP_DIR and deletes older ones',
  }),
} as const satisfies Record<string, VarSpec>;

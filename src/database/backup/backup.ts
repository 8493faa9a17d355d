import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { connectionArgs, databaseName, runPgTool } from './pg-tools';

export interface BackupOptions {
  databaseUrl: string;
  dir: string;
  /** Newest archives of this database kept in dir (older ones are deleted after a successful dump). */
  retention: number;
  pgDump?: string;
  now?: Date;
}

export interface BackupResult {
  file: string;
  deleted: string[];
}

/** 2026-11-21T22:54:00.123Z -> 20261121T225400123Z: sorts by time as text, safe in file names. */
export function timestampOf(d: Date): string {
  return d.toISOString().replace(/[-:.]/g, '');
}

const archivePattern = (label: string) => new RegExp(`^${label.replace(/[.-]/g, '\\$&')}-\\d{8}T\\d{9}Z\\.dump$`);

/**
 * pg_dump in custom format (-Fc: compressed, restorable selectively with pg_restore) into
 * `<dir>/<database>-<UTC timestamp>.dump`. The dump is written under a temporary name and
 * renamed when pg_dump succeeded, so a failed run never leaves an archive that looks whole
 * or counts towards the retention; only then are the oldest archives of this database deleted.
 */
export async function backupDatabase(opts: BackupOptions): Promise<BackupResult> {
  const dir = resolve(opts.dir);
  await mkdir(dir, { recursive: true });
  const label = databaseName(opts.databaseUrl).replace(/[^A-Za-z0-9_.-]/g, '_');
  const file = join(dir, `${label}-${timestampOf(opts.now ?? new Date())}.dump`);
  const partial = `${file}.partial`;
  const { dbname, env } = connectionArgs(opts.databaseUrl);
  try {
    await runPgTool(opts.pgDump ?? 'pg_dump', ['--format=custom', `--file=${partial}`, `--dbname=${dbname}`], env);
    await rename(partial, file);
  } finally {
    await rm(partial, { force: true });
  }
  const pattern = archivePattern(label);
  const archives = (await readdir(dir)).filter((f) => pattern.test(f)).sort();
  const deleted = archives.slice(0, Math.max(0, archives.length - opts.retention)).map((f) => join(dir, f));
  for (const old of deleted) await rm(old, { force: true });
  return { file, deleted };
}

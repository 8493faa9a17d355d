import { spawn } from 'node:child_process';

export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

/**
 * libpq settings for a DATABASE_URL, minus the password, which goes in PGPASSWORD: a password
 * inside the command line would be readable by any local user in the process list.
 */
export function connectionArgs(databaseUrl: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const url = new URL(databaseUrl);
  const password = decodeURIComponent(url.password);
  url.password = '';
  return { dbname: url.toString(), env: password ? { PGPASSWORD: password } : {} };
}

/** The database name of a DATABASE_URL (archives are named after it). */
export function databaseName(databaseUrl: string): string {
  return decodeURIComponent(new URL(databaseUrl).pathname.slice(1)) || 'postgres';
}

/**
 * Runs a PostgreSQL client tool to completion. A missing binary and a non-zero exit become
 * errors that say what to do; the tool's own stderr (its last lines) is part of the message.
 */
export function runPgTool(binary: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    child.on('error', (err: NodeJS.ErrnoException) => {
      reject(
        new BackupError(
          err.code === 'ENOENT'
            ? `${binary} not found: install the PostgreSQL client tools (Debian: apt-get install postgresql-client), ` +
              `of the same or a newer major version than the server`
            : `could not run ${binary}: ${err.message}`,
        ),
      );
    });
    child.on('close', (code, signal) => {
      if (code === 0) return resolve();
      const why = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      reject(new BackupError(`${binary} ${why}${stderr.trim() ? `: ${stderr.trim()}` : ''}`));
    });
  });
}

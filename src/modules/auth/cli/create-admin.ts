import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { createInterface } from 'node:readline';
import { loadDotEnv } from '../../../config/load-dotenv';
import { AdminBootstrapService } from '../users/admin-bootstrap.service';
import { AdminCliModule } from './admin-cli.module';

/**
 * `npm run auth:create-admin -- <email>` (or `node dist/modules/auth/cli/create-admin.js <email>`).
 * Creates the user as admin, or promotes (and re-enables) an existing one. The password comes
 * from ADMIN_PASSWORD or, when that is unset, from the first line of stdin, so it never shows
 * up in the process list or shell history.
 */
async function readStdinLine(): Promise<string> {
  const rl = createInterface({ input: process.stdin });
  for await (const line of rl) {
    rl.close();
    return line;
  }
  return '';
}

async function main(): Promise<void> {
  loadDotEnv();
  const email = process.argv[2];
  if (!email || !email.includes('@'))
    throw new Error('usage: create-admin <email>  (password from ADMIN_PASSWORD or stdin)');
  const password = process.env.ADMIN_PASSWORD || (await readStdinLine());
  if (password.length < 12 || password.length > 128) throw new Error('the password must be 12 to 128 characters');
  // Only the CLI's account is touched: the boot-time ADMIN_EMAIL path must not run here too.
  delete process.env.ADMIN_EMAIL;
  const app = await NestFactory.createApplicationContext(AdminCliModule.forRoot(), { logger: ['error', 'warn'] });
  try {
    const result = await app.get(AdminBootstrapService).ensureAdmin(email, password, { promote: true });
    process.stdout.write(`admin ${email.trim().toLowerCase()}: ${result}\n`);
  } finally {
    await app.close();
  }
}

main().catch((err: Error) => {
  process.stderr.write(`create-admin failed: ${err.message}\n`);
  process.exit(1);
});

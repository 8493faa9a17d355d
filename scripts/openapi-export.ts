/**
 * Writes openapi.json from the code (`npm run openapi:export`), or with --check fails when the
 * committed file differs (`npm run openapi:check`, run by CI). The app is created in preview
 * mode: modules are scanned but no provider runs, so no database or Redis is needed.
 */
import 'reflect-metadata';
import './support/placeholder-env';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppModule } from '../src/app.module';
import { applyRouting, createAdapter } from '../src/bootstrap/create-app';
import { buildOpenApiDocument } from '../src/bootstrap/swagger';
import { loadEnv } from '../src/config/env';

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

async function main(): Promise<void> {
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(), createAdapter(loadEnv()), {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  applyRouting(app);
  const doc = buildOpenApiDocument(app);
  const text = JSON.stringify(sortKeys(doc), null, 2) + '\n';
  const file = join(__dirname, '..', 'openapi.json');
  if (process.argv.includes('--check')) {
    const committed = readFileSync(file, 'utf8');
    if (committed !== text) {
      process.stderr.write('openapi.json is out of date: run `npm run openapi:export` and commit it\n');
      process.exit(1);
    }
    process.stdout.write('openapi.json matches the code\n');
  } else {
    writeFileSync(file, text);
    process.stdout.write(`wrote ${file} (${Object.keys(doc.paths).length} paths)\n`);
  }
  await app.close();
}

main().catch((err: Error) => {
  process.stderr.write(`${err.stack ?? err.message}\n`);
  process.exit(1);
});

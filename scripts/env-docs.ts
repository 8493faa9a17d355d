/** Regenerates .env.example and the README configuration table from src/config/env.schema.ts. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderEnvExample, replaceEnvTable } from '../src/config/env-docs';

const root = join(__dirname, '..');
writeFileSync(join(root, '.env.example'), renderEnvExample());
const readmePath = join(root, 'README.md');
writeFileSync(readmePath, replaceEnvTable(readFileSync(readmePath, 'utf8')));
process.stdout.write('wrote .env.example and the README configuration table\n');

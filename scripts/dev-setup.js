// First-run helper for `npm start` / `npm run start:dev`: creates .env from .env.example with a
// freshly generated JWT_SECRET (the code has no default secret); when DATABASE_URL points at a
// PostgreSQL server, creates its database if missing (without DATABASE_URL nexcore embeds
// PGlite, nothing to prepare); builds when dist/main.js is missing (or always with --build).
// Safe to run repeatedly; never overwrites an existing .env.
const { spawnSync } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { existsSync, readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { Client } = require('pg');

const root = join(__dirname, '..');
const envPath = join(root, '.env');

function ensureEnvFile() {
  if (existsSync(envPath)) return;
  const example = readFileSync(join(root, '.env.example'), 'utf8');
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(envPath, example.replace(/^JWT_SECRET=.*$/m, `JWT_SECRET=${secret}`));
  process.stdout.write('created .env from .env.example with a random JWT_SECRET\n');
}

async function ensureDatabase() {
  // Real environment variables win over .env (loadEnvFile does not override them).
  process.loadEnvFile(envPath);
  if (!process.env.DATABASE_URL) return;
  const url = new URL(process.env.DATABASE_URL);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/postgres';
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) {
      await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
      process.stdout.write(`created database ${name}\n`);
    }
  } finally {
    await client.end();
  }
}

function ensureBuild() {
  if (!process.argv.includes('--build') && existsSync(join(root, 'dist', 'main.js'))) return;
  process.stdout.write('building (npm run build)...\n');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const run = spawnSync(npm, ['run', 'build'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (run.status !== 0) process.exit(run.status ?? 1);
}

ensureEnvFile();
ensureDatabase()
  .then(ensureBuild)
  .catch((err) => {
    process.stderr.write(`dev setup could not prepare the database: ${err.message}\n`);
    process.exit(1);
  });

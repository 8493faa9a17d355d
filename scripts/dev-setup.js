// First-run helper for `npm run start:dev`: creates .env from .env.example with a freshly
// generated JWT_SECRET (the code has no default secret), and creates the database named in
// DATABASE_URL if it does not exist. Safe to run repeatedly; never overwrites an existing .env.
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
  process.loadEnvFile(envPath);
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

ensureEnvFile();
ensureDatabase().catch((err) => {
  process.stderr.write(`dev setup could not prepare the database: ${err.message}\n`);
  process.exit(1);
});

import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as ts from 'typescript';

const SRC = join(__dirname, '..');

/**
 * Entry points: each is a process's first module and reads its environment on purpose (main and
 * its preload, the command-line tools, the TypeORM CLI's data source). Everything else is
 * imported by them and must leave the environment to validated config at module init.
 */
const ENTRY_POINTS = new Set([
  'main.ts',
  'bootstrap/preload.ts',
  'database/data-source.ts',
  'database/backup/backup-cli.ts',
  'database/backup/restore-cli.ts',
  'modules/auth/cli/create-admin.ts',
]);

function moduleFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) return moduleFiles(path);
    return d.name.endsWith('.ts') && !d.name.endsWith('.spec.ts') && !d.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Packages the sources import, loaded before the scrub so only reads by our own code are seen. */
function packagesImportedBy(files: string[]): string[] {
  const names = new Set<string>();
  for (const file of files) {
    for (const { fileName } of ts.preProcessFile(readFileSync(file, 'utf8')).importedFiles) {
      if (!fileName.startsWith('.')) names.add(fileName);
    }
  }
  return [...names];
}

describe('module load', () => {
  const files = moduleFiles(SRC).filter((f) => !ENTRY_POINTS.has(relative(SRC, f)));

  it('finds the module files', () => {
    expect(files.length).toBeGreaterThan(200);
  });

  it('reads no environment variable while any module of src is imported', () => {
    const reads: string[] = [];
    const original = process.env;
    let loading = '';
    jest.isolateModules(() => {
      for (const pkg of packagesImportedBy(files)) {
        try {
          // eslint-disable-next-line @typescript-eslint/no-require-imports -- loading by name is the point
          require(pkg);
        } catch {
          // Type-only or optional packages: nothing to preload.
        }
      }
      // The first read per module is enough to name it.
      const record = (what: string) => {
        const name = relative(SRC, loading);
        if (!reads.some((r) => r.startsWith(`${name} `))) reads.push(`${name} reads ${what}`);
      };
      process.env = new Proxy({} as NodeJS.ProcessEnv, {
        get: (target, key) => {
          if (typeof key === 'string') record(key);
          return Reflect.get(target, key);
        },
        has: (target, key) => {
          if (typeof key === 'string') record(key);
          return Reflect.has(target, key);
        },
        ownKeys: (target) => {
          record('every variable');
          return Reflect.ownKeys(target);
        },
      });
      try {
        for (const file of files) {
          loading = file;
          try {
            // eslint-disable-next-line @typescript-eslint/no-require-imports -- loading by path is the point
            require(file);
          } catch (err) {
            reads.push(`${relative(SRC, file)} threw at import: ${(err as Error).message.split('\n')[0]}`);
          }
        }
      } finally {
        process.env = original;
      }
    });
    expect(reads).toEqual([]);
  });
});

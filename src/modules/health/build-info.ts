import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** package.json sits two levels above both src/modules/health and dist/modules/health. */
function readPackageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

export const PACKAGE_VERSION = readPackageVersion();

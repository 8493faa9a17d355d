import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One scratch directory per embedded run; the PGlite data directory of every test app lives in it. */
export default function embeddedGlobalSetup(): void {
  process.env.NEXCORE_EMBEDDED_TEST_DIR = mkdtempSync(join(tmpdir(), 'nexcore-embedded-'));
}

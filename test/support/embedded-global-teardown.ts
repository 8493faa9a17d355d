import { rmSync } from 'node:fs';

export default function embeddedGlobalTeardown(): void {
  const dir = process.env.NEXCORE_EMBEDDED_TEST_DIR;
  if (dir) rmSync(dir, { recursive: true, force: true });
}

// Test-only preload for servers under load (`node --expose-gc --require test/support/gc-probe.js`):
// on SIGUSR2, run a full garbage collection and write the memory figures to GC_PROBE_FILE, so a
// load test compares memory after GC instead of two points on the GC saw-tooth.
'use strict';
const { writeFileSync } = require('node:fs');

process.on('SIGUSR2', () => {
  global.gc();
  const m = process.memoryUsage();
  writeFileSync(process.env.GC_PROBE_FILE, JSON.stringify({ rss: m.rss, heapUsed: m.heapUsed, external: m.external, at: Date.now() }));
});

import { Counter, Registry } from 'prom-client';
import { FailOpenThrottlerStorage } from './fail-open-storage';

describe('FailOpenThrottlerStorage', () => {
  it('lets requests through and counts it when Redis cannot be reached', async () => {
    const registry = new Registry();
    const degraded = new Counter({ name: 'd', help: 'h', labelNames: ['component'], registers: [registry] });
    // Port 1: nothing listens there, so every call fails at once.
    const storage = new FailOpenThrottlerStorage(
      { url: 'redis://127.0.0.1:1', keyPrefix: 't:', commandTimeoutMs: 100 },
      degraded,
    );
    try {
      const record = await storage.increment('k', 60000, 1, 60000, 'default');
      expect(record.isBlocked).toBe(false);
      await storage.increment('k', 60000, 1, 60000, 'default');
      expect((await degraded.get()).values[0].value).toBe(2);
    } finally {
      storage.onApplicationShutdown();
    }
  });
});

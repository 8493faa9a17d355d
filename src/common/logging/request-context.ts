import { context, ROOT_CONTEXT } from '@opentelemetry/api';
import { PinoLogger } from 'nestjs-pino';
import { storage, Store } from 'nestjs-pino/storage';
import type { Logger } from 'pino';

/**
 * The request id travels with the work a request starts: it is held in the same
 * AsyncLocalStorage store nestjs-pino reads its per-request logger from, so every log line
 * written in that async context carries it, and code that hands work on (queue jobs, outbox
 * rows) can read it back with currentRequestId().
 */
interface RequestStore extends Store {
  requestId?: string;
}

/** A store whose child logger is only built when something logs (most probe requests never do). */
function storeFor(requestId: string | undefined, bindings: Record<string, unknown>): RequestStore {
  const root: Logger | undefined = PinoLogger.root;
  const store: RequestStore = new Store(root as Logger);
  let child: Logger | undefined;
  Object.defineProperty(store, 'logger', {
    // Undefined without a root logger: nestjs-pino then falls back to its out-of-context logger.
    get: () => (root ? (child ??= root.child(requestId ? { requestId, ...bindings } : bindings)) : undefined),
    enumerable: true,
  });
  store.requestId = requestId;
  return store;
}

/** Binds the rest of the current async context (a Fastify request) to this request id. */
export function enterRequest(requestId: string): void {
  storage.enterWith(storeFor(requestId, {}));
}

/** The request id of the work being done now, if it started from a request. */
export function currentRequestId(): string | undefined {
  return (storage.getStore() as RequestStore | undefined)?.requestId;
}

/**
 * Runs background work (a queue job) under the request id that started it, so its log lines
 * (with the extra bindings, e.g. the job id) carry that id. Without one it runs as it is.
 */
export function runWithRequestId<T>(
  requestId: string | null | undefined,
  bindings: Record<string, unknown>,
  fn: () => T,
): T {
  if (!requestId) return fn();
  return storage.run(storeFor(requestId, bindings), fn);
}

/**
 * Runs fn outside of any request: timers it starts (the webhook relay's coalesced pass) must
 * not inherit the request id nor the trace of whichever request happened to wake them.
 */
export function outsideRequest<T>(fn: () => T): T {
  return storage.exit(() => context.with(ROOT_CONTEXT, fn));
}

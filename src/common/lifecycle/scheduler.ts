import { Injectable, Logger } from '@nestjs/common';
import { settlesWithin } from '../async/deadline';

/** How long stopAll() waits for runs already under way (a flush, a reaper pass). */
const STOP_WAIT_MS = 5000;

interface Task {
  timer: NodeJS.Timeout;
  running?: Promise<void>;
}

/**
 * The one way to run periodic work in this process. Every task is named (the name is in its
 * error log lines), unref'd (a timer alone never keeps the process alive), skips a tick while its
 * previous run is still going (a slow database never piles up runs) and logs, never throws, what
 * a run rejects with. AppShutdown stops them all after HTTP has drained and before workers stop.
 * @nestjs/schedule is not installed; its SchedulerRegistry stores raw setInterval handles and
 * would still need this wrapper for the overlap, logging and stop-all behaviour.
 */
@Injectable()
export class Scheduler {
  private readonly logger = new Logger('Scheduler');
  private readonly tasks = new Map<string, Task>();
  private stopped = false;

  /** Runs `run` every `ms` under `name` (unique while it runs). Returns its stop function. */
  every(name: string, ms: number, run: () => unknown): () => void {
    if (this.tasks.has(name)) throw new Error(`periodic task ${name} is already scheduled`);
    if (this.stopped) return () => undefined;
    const task: Task = { timer: setInterval(() => this.tick(name, task, run), ms).unref() };
    this.tasks.set(name, task);
    return () => this.stop(name, task);
  }

  has(name: string): boolean {
    return this.tasks.has(name);
  }

  /** Clears every timer and waits (bounded) for runs under way; later every() calls are no-ops. */
  async stopAll(): Promise<void> {
    this.stopped = true;
    const running = [...this.tasks.values()].map((t) => t.running).filter((p): p is Promise<void> => !!p);
    for (const [name, task] of this.tasks) this.stop(name, task);
    if (running.length) await settlesWithin(Promise.allSettled(running), STOP_WAIT_MS);
  }

  private stop(name: string, task: Task): void {
    clearInterval(task.timer);
    if (this.tasks.get(name) === task) this.tasks.delete(name);
  }

  private tick(name: string, task: Task, run: () => unknown): void {
    if (task.running) return;
    task.running = (async () => {
      try {
        await run();
      } catch (err) {
        this.logger.warn(`${name}: ${(err as Error).message}`);
      } finally {
        task.running = undefined;
      }
    })();
  }
}

import { Injectable } from '@nestjs/common';
import { AppShutdown } from '../../common/lifecycle/shutdown';
import { Scheduler } from '../../common/lifecycle/scheduler';
import { toJobView, JobView } from './ingestion.service';
import { IngestionJobsRepository } from './jobs.repository';

/** Job row read interval of progress streams. */
export const PROGRESS_POLL_MS = 500;

/** `view` is null once the job row is gone (its source was deleted, its owner erased). */
export interface ProgressListener {
  update(view: JobView | null): void;
  /** The process is shutting down: end the stream now. */
  close(): void;
}

interface Poll {
  listeners: Set<ProgressListener>;
  stop: () => void;
}

/**
 * Progress streams of this process: one row read per job per tick however many streams watch
 * that job, so watchers add no database load, and a count of open streams per user so one user
 * cannot hold unbounded connections and polls.
 */
@Injectable()
export class JobProgressHub {
  private readonly polls = new Map<string, Poll>();
  private readonly open = new Map<string, number>();

  /** Makes each poll's task name unique (a job's poll can stop and start again). */
  private seq = 0;

  constructor(
    private readonly jobs: IngestionJobsRepository,
    private readonly scheduler: Scheduler,
    shutdown: AppShutdown,
  ) {
    shutdown.onStop('streams', 'job progress streams', () => this.closeAll());
  }

  /** Takes one of the user's stream slots; null when `max` are open. Call the result once to give it back. */
  acquire(userId: string, max: number): (() => void) | null {
    const n = this.open.get(userId) ?? 0;
    if (n >= max) return null;
    this.open.set(userId, n + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.open.get(userId) ?? 1) - 1;
      if (left > 0) this.open.set(userId, left);
      else this.open.delete(userId);
    };
  }

  /**
   * Gives `listener` the job's view every tick. Ownership is the caller's to check before
   * subscribing. Returns the unsubscribe function.
   */
  subscribe(jobId: string, listener: ProgressListener): () => void {
    let poll = this.polls.get(jobId);
    if (!poll) {
      const p: Poll = { listeners: new Set(), stop: () => undefined };
      // The Scheduler skips a tick while the previous read is still running.
      p.stop = this.scheduler.every(`job-progress:${jobId}#${++this.seq}`, PROGRESS_POLL_MS, () => this.tick(jobId, p));
      this.polls.set(jobId, p);
      poll = p;
    }
    poll.listeners.add(listener);
    return () => {
      const p = this.polls.get(jobId);
      if (!p) return;
      p.listeners.delete(listener);
      if (!p.listeners.size) {
        p.stop();
        this.polls.delete(jobId);
      }
    };
  }

  private async tick(jobId: string, poll: Poll): Promise<void> {
    try {
      const row = await this.jobs.find(jobId);
      const view = row ? toJobView(row) : null;
      for (const l of [...poll.listeners]) l.update(view);
    } catch {
      // The database is unreachable for a moment: streams keep their last state and retry.
    }
  }

  /** Shutdown: every stream ends, so the HTTP drain does not wait for them. */
  private closeAll(): void {
    const polls = [...this.polls.values()];
    this.polls.clear();
    for (const p of polls) {
      p.stop();
      for (const l of p.listeners) l.close();
    }
  }
}

import type { PGlite } from '@electric-sql/pglite';

/** What the scheduler needs of PGlite (structural: the ESM and CJS typings are distinct classes). */
type Backend = Pick<PGlite, 'runExclusive' | 'execProtocolRawStream' | 'isInTransaction' | 'exec'>;

interface Pending {
  handlerId: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (err: Error) => void;
}

const SYNC = 0x53; // 'S': ends an extended-protocol exchange (Parse/Bind/Execute/Sync)
const QUERY = 0x51; // 'Q': a simple query is a whole exchange
const TERMINATE = 0x58; // 'X'

/** Startup messages have no type byte; their length's first byte is 0, which no message type is. */
function endsExchange(message: Uint8Array): boolean {
  return message[0] === SYNC || message[0] === QUERY || message[0] === TERMINATE || message[0] === 0;
}

/**
 * The message scheduler behind the embedded PostgreSQL's socket. PGlite is one backend session,
 * so every client connection shares it: pglite-socket's own queue interleaves connections
 * message by message, and two clients' Parse/Bind pairs (node-postgres uses the unnamed
 * statement) can then cross. Here a connection owns the backend from its first message until
 * its exchange ends (Sync or a simple query) outside a transaction block, so each exchange —
 * and each transaction — runs as if on a server of its own. Connections beyond the current
 * owner wait; an open transaction holds everyone else off until it ends.
 *
 * Duck-types pglite-socket's QueryQueueManager (enqueue, clearQueueForHandler,
 * clearTransactionIfNeeded, getQueueLength), which PGLiteSocketHandler accepts as an option.
 */
export class SessionExclusiveQueue {
  private readonly pending: Pending[] = [];
  private owner: number | null = null;
  private draining = false;

  constructor(private readonly db: Backend) {}

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      this.pending.push({ handlerId, message, onData, resolve, reject });
      void this.drain();
    });
  }

  getQueueLength(): number {
    return this.pending.length;
  }

  /** The client went away: its queued messages are dropped. */
  clearQueueForHandler(handlerId: number): void {
    for (let i = this.pending.length - 1; i >= 0; i--) {
      if (this.pending[i].handlerId !== handlerId) continue;
      this.pending.splice(i, 1)[0].reject(new Error('client disconnected'));
    }
  }

  /** The client went away while owning the backend: roll back what it left open, hand over. */
  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    if (this.owner !== handlerId) return;
    if (this.db.isInTransaction()) await this.db.exec('ROLLBACK');
    if (this.owner === handlerId) this.owner = null;
    void this.drain();
  }

  private take(): Pending | undefined {
    const i = this.owner === null ? 0 : this.pending.findIndex((p) => p.handlerId === this.owner);
    return i < 0 ? undefined : this.pending.splice(i, 1)[0];
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      for (let item = this.take(); item; item = this.take()) {
        this.owner = item.handlerId;
        let bytes = 0;
        const current = item;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(current.message, {
              onRawData: (data) => {
                bytes += data.length;
                current.onData(data);
              },
            }),
          );
          current.resolve(bytes);
        } catch (err) {
          current.reject(err as Error);
        }
        if (endsExchange(current.message) && !this.db.isInTransaction()) this.owner = null;
      }
    } finally {
      this.draining = false;
    }
  }
}

import { SessionExclusiveQueue } from './session-queue';

const msg = (type: string) => new Uint8Array([type.charCodeAt(0), 0, 0, 0, 4]);

/** A stand-in backend that records the order messages ran in and tracks BEGIN/COMMIT. */
function backend() {
  const ran: string[] = [];
  let inTx = false;
  const db = {
    ran,
    runExclusive: <T>(fn: () => Promise<T>) => fn(),
    execProtocolRawStream: async (m: Uint8Array, { onRawData }: { onRawData: (d: Uint8Array) => void }) => {
      await new Promise((r) => setTimeout(r, 1));
      const tag = (m as Uint8Array & { tag?: string }).tag ?? String.fromCharCode(m[0]);
      ran.push(tag);
      if (tag.endsWith('BEGIN')) inTx = true;
      if (tag.endsWith('COMMIT') || tag.endsWith('ROLLBACK')) inTx = false;
      onRawData(new Uint8Array([1]));
    },
    isInTransaction: () => inTx,
    exec: async (sql: string) => {
      ran.push(`exec ${sql}`);
      inTx = false;
      return [];
    },
  };
  return db;
}

const tagged = (type: string, tag: string) => Object.assign(msg(type), { tag });

describe('SessionExclusiveQueue (the embedded PostgreSQL socket scheduler)', () => {
  it('never interleaves two connections inside an extended-protocol exchange', async () => {
    const db = backend();
    const q = new SessionExclusiveQueue(db as never);
    const client = (id: number) =>
      (async () => {
        for (const t of ['P', 'B', 'E', 'S']) await q.enqueue(id, tagged(t, `${id}${t}`), () => undefined);
      })();
    await Promise.all([client(1), client(2), client(3)]);
    const order = db.ran.join(' ');
    for (const id of [1, 2, 3]) expect(order).toContain(`${id}P ${id}B ${id}E ${id}S`);
  });

  it('lets a transaction finish before another connection runs anything', async () => {
    const db = backend();
    const q = new SessionExclusiveQueue(db as never);
    const a = (async () => {
      await q.enqueue(1, tagged('Q', 'a BEGIN'), () => undefined);
      await new Promise((r) => setTimeout(r, 10));
      await q.enqueue(1, tagged('Q', 'a insert'), () => undefined);
      await q.enqueue(1, tagged('Q', 'a COMMIT'), () => undefined);
    })();
    await new Promise((r) => setTimeout(r, 3));
    const b = q.enqueue(2, tagged('Q', 'b select'), () => undefined);
    await Promise.all([a, b]);
    expect(db.ran).toEqual(['a BEGIN', 'a insert', 'a COMMIT', 'b select']);
  });

  it('rolls back and hands over when the owning client disconnects mid-transaction', async () => {
    const db = backend();
    const q = new SessionExclusiveQueue(db as never);
    await q.enqueue(1, tagged('Q', 'a BEGIN'), () => undefined);
    const waiting = q.enqueue(2, tagged('Q', 'b select'), () => undefined);
    // Queued behind the open transaction, then its client goes away too.
    const dropped = q.enqueue(3, tagged('Q', 'c never'), () => undefined);
    await new Promise((r) => setTimeout(r, 5));
    expect(db.ran).toEqual(['a BEGIN']);
    q.clearQueueForHandler(3);
    await expect(dropped).rejects.toThrow(/disconnected/);
    q.clearQueueForHandler(1);
    await q.clearTransactionIfNeeded(1);
    await waiting;
    expect(db.ran).toEqual(['a BEGIN', 'exec ROLLBACK', 'b select']);
    expect(q.getQueueLength()).toBe(0);
  });
});

import { createServer, IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/** What the receiver does with the n-th request (0-based); return false to never answer. */
export type Behaviour = (n: number, req: IncomingMessage, res: ServerResponse) => unknown;

/** A webhook receiver on 127.0.0.1 that records every request it gets. */
export class Receiver {
  readonly received: Received[] = [];
  private readonly hanging: ServerResponse[] = [];
  private constructor(
    private readonly server: Server,
    public behaviour: Behaviour,
  ) {}

  static async start(behaviour: Behaviour = (_n, _req, res) => res.writeHead(204).end()): Promise<Receiver> {
    const holder: { self?: Receiver } = {};
    const server = createServer((req, res) => {
      const self = holder.self;
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const n = self!.received.length;
        self!.received.push({ headers: req.headers, body, at: Date.now() });
        if (self!.behaviour(n, req, res) === false) self!.hanging.push(res);
      });
    });
    const self = new Receiver(server, behaviour);
    holder.self = self;
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    return self;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
}

/** Other e2e files leave endpoints and unrelayed events behind; keep them out of this file's counts. */
export async function isolateWebhooks(ds: DataSource): Promise<void> {
  await ds.query(`UPDATE webhook_endpoints SET enabled = false`);
  await ds.query(`UPDATE webhook_outbox SET relayed_at = now() WHERE relayed_at IS NULL`);
  await ds.query(`UPDATE webhook_deliveries SET status = 'failed' WHERE status = 'pending'`);
}

export const WEBHOOK_TEST_ENV = {
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
  WEBHOOK_RETRY_SCHEDULE: '0,1,1',
  WEBHOOK_TIMEOUT_MS: '300',
  WEBHOOK_RELAY_INTERVAL_MS: '100',
};

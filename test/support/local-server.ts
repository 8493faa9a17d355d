import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * An HTTP server on 127.0.0.1 with an OS-chosen port, for tests that need a peer (a site to
 * crawl, a model, a receiver) without reaching the internet. Subclasses answer requests.
 */
export abstract class LocalServer {
  port = 0;
  private server?: Server;

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** Stops listening (later requests are refused); stopping again is a no-op, not a promise that never settles. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    this.beforeStop();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }

  /** Releases what a subclass holds open (timers) before the connections are dropped. */
  protected beforeStop(): void {}

  protected abstract handle(req: IncomingMessage, res: ServerResponse): Promise<void> | void;
}

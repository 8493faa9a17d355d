import { IncomingMessage, ServerResponse } from 'node:http';
import { LocalServer } from '../support/local-server';

export type Behaviour = 'ok' | 'fail-once' | 'always-503' | 'bad-request' | 'slow' | 'hang-after-first';

/** A small OpenAI-compatible /v1/chat/completions server for contract tests (the only stub: no real model is reachable here). */
export class FakeLlm extends LocalServer {
  behaviour: Behaviour = 'ok';
  readonly requests: { headers: IncomingMessage['headers']; body: Record<string, unknown> }[] = [];
  /** Set when a streaming response's client went away before the server finished. */
  clientAborted = false;
  private calls = 0;

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  reset(behaviour: Behaviour): void {
    this.behaviour = behaviour;
    this.requests.length = 0;
    this.calls = 0;
    this.clientAborted = false;
  }

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let raw = '';
    for await (const c of req) raw += c;
    this.requests.push({ headers: req.headers, body: JSON.parse(raw) });
    this.calls++;
    if (req.url !== '/v1/chat/completions') return void res.writeHead(404).end();
    if (this.behaviour === 'bad-request')
      return void res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":{"message":"bad model"}}');
    if (this.behaviour === 'always-503' || (this.behaviour === 'fail-once' && this.calls === 1))
      return void res.writeHead(503).end('busy');
    if (this.behaviour === 'slow') await new Promise((r) => setTimeout(r, 3000).unref());
    if (res.destroyed) return;
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const send = (o: unknown) => res.write(`data: ${JSON.stringify(o)}\n\n`);
    res.on('close', () => (this.clientAborted = !res.writableFinished));
    send({ choices: [{ delta: { role: 'assistant' } }] });
    send({ choices: [{ delta: { content: 'Install alpha ' } }] });
    if (this.behaviour === 'hang-after-first') return; // never finishes: the client must hang up
    send({ choices: [{ delta: { content: 'with the installer [1].' } }] });
    send({ choices: [], usage: { prompt_tokens: 120, completion_tokens: 9 } });
    res.end('data: [DONE]\n\n');
  }
}

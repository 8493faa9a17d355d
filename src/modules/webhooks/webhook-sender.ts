import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Agent, fetch } from 'undici';
import { REQUEST_ID_HEADER } from '../../common/http/request-id';
import { SsrfGuard } from '../../common/net/ssrf-guard';
import { webhooksConfig, WebhooksConfig } from '../../config/namespaces';
import { WebhookEndpointEntity } from './entities/webhook-endpoint.entity';
import { signWebhook } from './verify-webhook';

export interface AttemptResult {
  success: boolean;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  responseSnippet: string | null;
}

const SNIPPET_CHARS = 1000;

/** The secrets that sign right now: the current one, plus the previous during its overlap. */
export function signingSecrets(
  ep: Pick<WebhookEndpointEntity, 'secret' | 'previousSecret' | 'previousSecretExpiresAt'>,
  now = new Date(),
): string[] {
  const out = [ep.secret];
  if (ep.previousSecret && ep.previousSecretExpiresAt && ep.previousSecretExpiresAt > now) out.push(ep.previousSecret);
  return out;
}

async function readSnippet(body: ReadableStream<Uint8Array> | null): Promise<string | null> {
  if (!body) return null;
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    while (text.length < SNIPPET_CHARS) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    // Do not download the rest of a large answer.
    await reader.cancel().catch(() => undefined);
  }
  return text.slice(0, SNIPPET_CHARS) || null;
}

/**
 * Sends one signed attempt through the shared SSRF guard (connect-time address checks, no
 * redirects followed: a 3xx is a failed attempt). Success is a 2xx within WEBHOOK_TIMEOUT_MS.
 */
@Injectable()
export class WebhookSender implements OnApplicationShutdown {
  readonly guard: SsrfGuard;
  private readonly dispatcher: Agent;

  constructor(@Inject(webhooksConfig.KEY) private readonly cfg: WebhooksConfig) {
    this.guard = new SsrfGuard({ allowPrivateNetworks: cfg.allowPrivateNetworks, allowedHosts: cfg.allowedHosts });
    this.dispatcher = this.guard.createDispatcher({ connect: { timeout: cfg.timeoutMs } });
  }

  /** `requestId` (of the request that caused the event) goes out as X-Request-Id when known. */
  async send(
    ep: WebhookEndpointEntity,
    messageId: string,
    body: string,
    requestId?: string | null,
  ): Promise<AttemptResult> {
    const started = performance.now();
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = signingSecrets(ep)
      .map((s) => signWebhook(s, messageId, timestamp, body))
      .join(' ');
    const elapsed = () => Math.round(performance.now() - started);
    try {
      const url = this.guard.assertUrl(ep.url);
      const res = await fetch(url, {
        method: 'POST',
        body,
        redirect: 'manual',
        dispatcher: this.dispatcher,
        signal: AbortSignal.timeout(this.cfg.timeoutMs),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'nexcore-webhooks/1',
          'webhook-id': messageId,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signature,
          ...(requestId ? { [REQUEST_ID_HEADER]: requestId } : {}),
        },
      });
      const responseSnippet = await readSnippet(res.body);
      const success = res.status >= 200 && res.status < 300;
      const error = success
        ? null
        : res.status >= 300 && res.status < 400
          ? `redirect to ${res.headers.get('location') ?? '?'} not followed`
          : `HTTP ${res.status}`;
      return { success, statusCode: res.status, latencyMs: elapsed(), error, responseSnippet };
    } catch (err) {
      return {
        success: false,
        statusCode: null,
        latencyMs: elapsed(),
        error: describe(err, this.cfg.timeoutMs),
        responseSnippet: null,
      };
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.dispatcher.close();
  }
}

function describe(err: unknown, timeoutMs: number): string {
  const e = err as Error & { cause?: Error };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  const cause = e?.cause;
  const msg = cause?.message ? `${e.message}: ${cause.message}` : String(e?.message ?? err);
  return msg.slice(0, 500);
}

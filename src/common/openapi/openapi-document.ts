import { Controller, Get, Injectable, Req, Res, ServiceUnavailableException, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { Public } from '../http/public.decorator';

interface Prebuilt {
  etag: string;
  identity: Buffer;
  br: Buffer;
  gzip: Buffer;
}

/**
 * The OpenAPI document, serialised and compressed once at boot: the document is large and never
 * changes while the process runs, so serving it must cost no more than sending bytes (Swagger's
 * own route rebuilds and recompresses it per request, which a flood of /docs/json turns into
 * load on every other client).
 */
@Injectable()
export class OpenApiDocumentStore {
  private prebuilt?: Prebuilt;

  set(document: OpenAPIObject): void {
    const identity = Buffer.from(JSON.stringify(document));
    const hash = createHash('sha256').update(identity).digest('base64url').slice(0, 27);
    this.prebuilt = {
      // Weak: the same tag stands for the identity, gzip and br encodings of one document.
      etag: `W/"${hash}"`,
      identity,
      br: brotliCompressSync(identity, { params: { [constants.BROTLI_PARAM_QUALITY]: 9 } }),
      gzip: gzipSync(identity, { level: 9 }),
    };
  }

  get(): Prebuilt | undefined {
    return this.prebuilt;
  }
}

/** RFC 9110 If-None-Match: weak comparison over a list, or `*`. */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const opaque = (t: string) => t.trim().replace(/^W\//, '');
  return header.split(',').some((t) => t.trim() === '*' || opaque(t) === opaque(etag));
}

/** br, else gzip, else identity, honouring q=0. */
export function pickEncoding(header: string | undefined): 'br' | 'gzip' | undefined {
  const accepted = new Set(
    (header ?? '')
      .split(',')
      .map((part) => part.trim().split(';'))
      .filter(([, ...params]) => !params.some((p) => /^\s*q\s*=\s*0(\.0*)?\s*$/.test(p)))
      .map(([name]) => name.trim().toLowerCase()),
  );
  if (accepted.has('br')) return 'br';
  if (accepted.has('gzip')) return 'gzip';
  return undefined;
}

/**
 * `GET /docs/json` as a Nest route, so it goes through the global guards like the API: it is
 * rate-limited per client (Swagger's raw route was not) and answers problem+json on errors.
 */
@ApiExcludeController()
@Public()
@Controller({ path: 'docs', version: VERSION_NEUTRAL })
export class OpenApiController {
  constructor(private readonly store: OpenApiDocumentStore) {}

  @Get('json')
  json(@Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    const doc = this.store.get();
    if (!doc) throw new ServiceUnavailableException('The API document is not built yet');
    reply.header('ETag', doc.etag).header('Cache-Control', 'no-cache').header('Vary', 'Accept-Encoding');
    if (etagMatches(request.headers['if-none-match'], doc.etag)) {
      void reply.code(304).send();
      return;
    }
    const encoding = pickEncoding(request.headers['accept-encoding']);
    if (encoding) reply.header('Content-Encoding', encoding);
    void reply.type('application/json; charset=utf-8').send(encoding ? doc[encoding] : doc.identity);
  }
}

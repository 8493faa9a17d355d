import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import type { OpenAPIObject } from '@nestjs/swagger';
import { etagMatches, OpenApiDocumentStore, pickEncoding } from './openapi-document';

describe('prebuilt OpenAPI document', () => {
  it('serialises once, with a stable weak ETag and both compressed forms', () => {
    const doc = { openapi: '3.0.0', info: { title: 't', version: '1' }, paths: {} } as OpenAPIObject;
    const store = new OpenApiDocumentStore();
    store.set(doc);
    const a = store.get()!;
    store.set(doc);
    expect(store.get()!.etag).toBe(a.etag);
    expect(a.etag).toMatch(/^W\/"[A-Za-z0-9_-]{27}"$/);
    expect(JSON.parse(gunzipSync(a.gzip).toString())).toEqual(doc);
    expect(JSON.parse(brotliDecompressSync(a.br).toString())).toEqual(doc);
  });

  it('If-None-Match: weak comparison, lists and *', () => {
    expect(etagMatches('W/"abc"', 'W/"abc"')).toBe(true);
    expect(etagMatches('"abc"', 'W/"abc"')).toBe(true);
    expect(etagMatches('"x", W/"abc"', 'W/"abc"')).toBe(true);
    expect(etagMatches('*', 'W/"abc"')).toBe(true);
    expect(etagMatches('"abd"', 'W/"abc"')).toBe(false);
    expect(etagMatches(undefined, 'W/"abc"')).toBe(false);
  });

  it('Accept-Encoding: br, then gzip, never one refused with q=0', () => {
    expect(pickEncoding('gzip, deflate, br')).toBe('br');
    expect(pickEncoding('gzip;q=1, br;q=0')).toBe('gzip');
    expect(pickEncoding('identity')).toBeUndefined();
    expect(pickEncoding(undefined)).toBeUndefined();
  });
});

import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { decodeBody } from './body-decode';

const HTML = '<html><head><title>Caf\u00e9</title></head><body><p>Hello there, a page of text.</p></body></html>';
const html = 'text/html; charset=utf-8';

describe('decodeBody', () => {
  it('undoes gzip, deflate (zlib and raw), br and a chain of codings', async () => {
    const raw = Buffer.from(HTML);
    for (const [enc, buf] of [
      ['gzip', gzipSync(raw)],
      ['x-gzip', gzipSync(raw)],
      ['deflate', deflateSync(raw)],
      ['deflate', deflateRawSync(raw)],
      ['br', brotliCompressSync(raw)],
      ['gzip, br', brotliCompressSync(gzipSync(raw))],
      ['identity', raw],
    ] as const) {
      expect([enc, await decodeBody(buf, enc, html, 1 << 20)]).toEqual([enc, { kind: 'text', text: HTML }]);
    }
  });

  it('stops a compression bomb at the size cap and refuses unknown or corrupt codings', async () => {
    const bomb = gzipSync(Buffer.alloc(10 << 20, 0x41));
    expect(bomb.length).toBeLessThan(64 << 10);
    expect(await decodeBody(bomb, 'gzip', html, 1 << 20)).toMatchObject({ kind: 'size' });
    expect(await decodeBody(Buffer.from(HTML), 'compress', html, 1 << 20)).toMatchObject({
      kind: 'encoding',
      detail: expect.stringMatching(/compress/),
    });
    expect(await decodeBody(Buffer.from('not gzip at all'), 'gzip', html, 1 << 20)).toMatchObject({ kind: 'encoding' });
  });

  it('calls compressed bytes without Content-Encoding, NUL-heavy and undecodable bodies binary', async () => {
    expect(await decodeBody(gzipSync(Buffer.from(HTML)), null, html, 1 << 20)).toMatchObject({
      kind: 'binary',
      detail: expect.stringMatching(/gzip/),
    });
    const random = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));
    expect(await decodeBody(random, null, html, 1 << 20)).toMatchObject({ kind: 'binary' });
    const latin = Buffer.from(Array.from({ length: 2000 }, (_, i) => 0xc0 + (i % 60)));
    expect(await decodeBody(latin, null, html, 1 << 20)).toMatchObject({
      kind: 'binary',
      detail: expect.stringMatching(/invalid UTF-8/),
    });
  });

  it('keeps a text with a few NUL bytes, without them, and honours the charset', async () => {
    const withNul = Buffer.from(HTML.replace('Hello', 'Hel\u0000lo'));
    expect(await decodeBody(withNul, null, html, 1 << 20)).toEqual({ kind: 'text', text: HTML });
    const latin1 = Buffer.from(HTML, 'latin1');
    expect(await decodeBody(latin1, null, 'text/html; charset=ISO-8859-1', 1 << 20)).toEqual({
      kind: 'text',
      text: HTML,
    });
  });
});

import { promisify } from 'node:util';
import { brotliDecompress, gunzip, inflate, inflateRaw, InputType, ZlibOptions } from 'node:zlib';

export type DecodedBody =
  | { kind: 'text'; text: string }
  /** Not text: the page is skipped with this detail (compressed or binary bytes). */
  | { kind: 'binary'; detail: string }
  | { kind: 'encoding'; detail: string }
  | { kind: 'size'; detail: string };

type Inflate = (buf: InputType, opts: ZlibOptions) => Promise<Buffer>;
const CODECS: Record<string, Inflate[]> = {
  gzip: [promisify(gunzip)],
  'x-gzip': [promisify(gunzip)],
  // "deflate" should be zlib-wrapped (RFC 9110) but some servers send raw deflate.
  deflate: [promisify(inflate), promisify(inflateRaw)],
  br: [promisify(brotliDecompress) as Inflate],
};

/** Magic numbers of formats that are never a web page, whatever the Content-Type says. */
const MAGIC: [string, number[]][] = [
  ['gzip', [0x1f, 0x8b]],
  ['zip', [0x50, 0x4b, 0x03, 0x04]],
  ['PDF', [0x25, 0x50, 0x44, 0x46, 0x2d]],
  ['PNG', [0x89, 0x50, 0x4e, 0x47]],
  ['JPEG', [0xff, 0xd8, 0xff]],
  ['GIF', [0x47, 0x49, 0x46, 0x38]],
  ['zstd', [0x28, 0xb5, 0x2f, 0xfd]],
];

/** Share of NUL bytes, and of undecodable UTF-8, above which a body is binary, not a text with a few bad bytes. */
const MAX_NUL_RATIO = 0.01;
const MAX_INVALID_RATIO = 0.05;
/** A handful of NULs in a short page are stray bytes to strip, not a binary format. */
const MIN_NUL = 16;

/**
 * Turns the raw bytes of a response into text, or says why it is not text: Content-Encoding
 * undone (gzip, deflate, br; the inflated size capped, so a compression bomb stops at the cap),
 * binary sniffed (magic numbers, NUL bytes, undecodable UTF-8), the charset of the Content-Type
 * honoured, and the NULs of an otherwise good text removed (Postgres text cannot hold them).
 */
export async function decodeBody(
  raw: Buffer,
  contentEncoding: string | null,
  contentType: string,
  maxBytes: number,
): Promise<DecodedBody> {
  let buf = raw;
  // Codings are listed in the order they were applied: undone from the last.
  const codings = (contentEncoding ?? '')
    .toLowerCase()
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c && c !== 'identity');
  for (const coding of codings.reverse()) {
    const codecs = CODECS[coding];
    if (!codecs) return { kind: 'encoding', detail: `unsupported content encoding ${coding}` };
    const out = await inflateWith(codecs, buf, maxBytes);
    if (out === 'size') return { kind: 'size', detail: `body over ${maxBytes} bytes once decoded (${coding})` };
    if (out === null) return { kind: 'encoding', detail: `body is not valid ${coding}` };
    buf = out;
  }
  for (const [name, magic] of MAGIC) {
    if (buf.length >= magic.length && magic.every((b, i) => buf[i] === b))
      return { kind: 'binary', detail: `binary content (${name} data) served as ${contentType || 'text'}` };
  }
  let nul = 0;
  for (const b of buf) if (b === 0) nul++;
  if (nul >= MIN_NUL && nul / buf.length > MAX_NUL_RATIO)
    return { kind: 'binary', detail: `binary content (${nul} NUL bytes) served as ${contentType || 'text'}` };
  const charset = /charset\s*=\s*["']?([\w.:-]+)/i.exec(contentType)?.[1]?.toLowerCase() ?? 'utf-8';
  let text: string;
  let utf8 = true;
  try {
    text = new TextDecoder(charset).decode(buf);
    utf8 = /^utf-?8$/.test(charset);
  } catch {
    text = new TextDecoder('utf-8').decode(buf);
  }
  if (utf8) {
    let bad = 0;
    for (let i = text.indexOf('\uFFFD'); i !== -1; i = text.indexOf('\uFFFD', i + 1)) bad++;
    if (text.length && bad / text.length > MAX_INVALID_RATIO)
      return {
        kind: 'binary',
        detail: `binary content (${bad} invalid UTF-8 sequences) served as ${contentType || 'text'}`,
      };
  }
  return { kind: 'text', text: text.includes('\u0000') ? text.replaceAll('\u0000', '') : text };
}

async function inflateWith(codecs: Inflate[], buf: Buffer, maxBytes: number): Promise<Buffer | 'size' | null> {
  for (const codec of codecs) {
    try {
      return await codec(buf, { maxOutputLength: maxBytes });
    } catch (err) {
      if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) return 'size';
    }
  }
  return null;
}

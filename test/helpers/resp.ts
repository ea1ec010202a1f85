/**
 * Minimal RESP2 encoder/decoder used by the test helpers and the sample
 * generator. Binary safe: bulk strings are returned as Buffers.
 *
 * Reply mapping:
 *   +simple  -> string
 *   -error   -> Error (returned as a value, not thrown)
 *   :integer -> number
 *   $bulk    -> Buffer ($-1 -> null)
 *   *array   -> RespReply[] (*-1 -> null)
 */

export type RespReply = string | number | Buffer | null | RespReply[] | Error | boolean | Resp3Reply;

/** RESP3 types that RESP2 has no form for, kept apart so a comparison sees the type. */
export interface Resp3Reply {
  resp3: 'map' | 'set' | 'push' | 'double' | 'bignum' | 'verbatim';
  items?: RespReply[];
  text?: string;
}

const CRLF = Buffer.from('\r\n');

/** Encode one command as a RESP2 array of bulk strings. */
export function encodeCommand(args: ReadonlyArray<string | Buffer>): Buffer {
  // The generator encodes millions of commands: all-string commands are built
  // as one JS string and converted once, which is much faster than many small writes.
  if (args.every((a) => typeof a === 'string')) {
    let s = `*${args.length}\r\n`;
    for (const a of args as ReadonlyArray<string>) s += `$${Buffer.byteLength(a, 'utf8')}\r\n${a}\r\n`;
    return Buffer.from(s, 'utf8');
  }
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const arg of args) {
    const buf = typeof arg === 'string' ? Buffer.from(arg, 'utf8') : arg;
    parts.push(Buffer.from(`$${buf.length}\r\n`), buf, CRLF);
  }
  return Buffer.concat(parts);
}

type ParseResult = { value: RespReply; end: number } | { need: number };

/** Parse one reply at `pos`; on incomplete input return the minimum total length needed. */
function parseAt(buf: Buffer, pos: number): ParseResult {
  if (pos >= buf.length) return { need: pos + 1 };
  const lineEnd = buf.indexOf(CRLF, pos);
  if (lineEnd === -1) return { need: buf.length + 1 };
  const type = buf[pos];
  const line = buf.toString('latin1', pos + 1, lineEnd);
  const next = lineEnd + 2;
  switch (type) {
    case 0x2b: // '+'
      return { value: buf.toString('utf8', pos + 1, lineEnd), end: next };
    case 0x2d: // '-'
      return { value: new Error(buf.toString('utf8', pos + 1, lineEnd)), end: next };
    case 0x3a: // ':'
      return { value: Number(line), end: next };
    case 0x24: { // '$'
      const len = Number(line);
      if (len < 0) return { value: null, end: next };
      const end = next + len + 2;
      if (buf.length < end) return { need: end };
      return { value: Buffer.from(buf.subarray(next, next + len)), end };
    }
    case 0x2a: { // '*'
      const count = Number(line);
      if (count < 0) return { value: null, end: next };
      const items: RespReply[] = [];
      let p = next;
      for (let i = 0; i < count; i++) {
        const r = parseAt(buf, p);
        if (!('value' in r)) return r;
        items.push(r.value);
        p = r.end;
      }
      return { value: items, end: p };
    }
    case 0x25: // '%' map
    case 0x7e: // '~' set
    case 0x3e: { // '>' push
      const count = Number(line) * (type === 0x25 ? 2 : 1);
      const items: RespReply[] = [];
      let p = next;
      for (let i = 0; i < count; i++) {
        const r = parseAt(buf, p);
        if (!('value' in r)) return r;
        items.push(r.value);
        p = r.end;
      }
      return { value: { resp3: type === 0x25 ? 'map' : type === 0x7e ? 'set' : 'push', items }, end: p };
    }
    case 0x7c: { // '|' attribute: skipped, the reply it decorates follows
      let p = next;
      for (let i = 0; i < Number(line) * 2; i++) {
        const r = parseAt(buf, p);
        if (!('value' in r)) return r;
        p = r.end;
      }
      return parseAt(buf, p);
    }
    case 0x5f: // '_' null
      return { value: null, end: next };
    case 0x23: // '#' boolean
      return { value: line === 't', end: next };
    case 0x2c: // ',' double
      return { value: { resp3: 'double', text: line }, end: next };
    case 0x28: // '(' big number
      return { value: { resp3: 'bignum', text: line }, end: next };
    case 0x3d: { // '=' verbatim
      const len = Number(line);
      const end = next + len + 2;
      if (buf.length < end) return { need: end };
      return { value: { resp3: 'verbatim', text: buf.toString('latin1', next, next + len) }, end };
    }
    default:
      throw new Error(`RESP protocol error: unexpected type byte 0x${(type ?? 0).toString(16)} at ${pos}`);
  }
}

/**
 * Incremental decoder: feed it TCP chunks in order, get back every reply
 * that became complete. Replies may be split anywhere across chunks.
 */
export class RespDecoder {
  private chunks: Buffer[] = [];
  private length = 0;
  /** Total buffered length required before a parse attempt can make progress. */
  private need = 1;

  push(chunk: Buffer): RespReply[] {
    this.chunks.push(chunk);
    this.length += chunk.length;
    const out: RespReply[] = [];
    if (this.length < this.need) return out;

    const buf = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.length);
    let pos = 0;
    for (;;) {
      const r = parseAt(buf, pos);
      if (!('value' in r)) {
        this.need = r.need - pos;
        break;
      }
      out.push(r.value);
      pos = r.end;
    }
    const rest = buf.subarray(pos);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.length = rest.length;
    return out;
  }

  /** Bytes received but not yet part of a complete reply. */
  get pending(): number {
    return this.length;
  }
}

/** Decode a buffer holding only complete replies (throws if something is left over). */
/** A reply as plain values for comparison: bulk strings as latin1 text, errors as `ERR:<message>`. */
export function replyText(v: RespReply): unknown {
  if (Buffer.isBuffer(v)) return v.toString('latin1');
  if (Array.isArray(v)) return v.map(replyText);
  if (v instanceof Error) return `ERR:${v.message}`;
  return v;
}

export function decodeAll(buf: Buffer): RespReply[] {
  const d = new RespDecoder();
  const out = d.push(buf);
  if (d.pending !== 0) throw new Error(`RESP: ${d.pending} trailing bytes form an incomplete reply`);
  return out;
}

/**
 * Listpack walking (listpack.c): RDB 10+ hashes, zsets, sets, quicklist 2 nodes and stream nodes.
 * Layout: total bytes u32 | element count u16 | entries | 0xFF. Entry: encoding+data, then a
 * back-length of 1-5 bytes.
 */
import { BlobFormatError, BlobScan, EncodedValue, EntryLayout, lpBacklenSize } from './encoded.js';
import { ElementStats, classifyIntegerText, intClassOf, decimalLength, readInt64Safe } from './facts.js';

const LP_HEADER = 6;
const LP_EOF = 0xff;

/** Walk one entry at p; sets `lpEntry` fields and returns the offset after the entry (with backlen). */
const lpEntry = { strStart: 0, strLen: -1, int: 0, big: null as bigint | null, size: 0 };

function readEntry(buf: Buffer, p: number, last: number, base: number): number {
  const b = buf[p]!;
  let size = 0;
  lpEntry.big = null;
  if ((b & 0x80) === 0) {
    lpEntry.strLen = -1;
    lpEntry.int = b & 0x7f;
    size = 1;
  } else if ((b & 0xc0) === 0x80) {
    lpEntry.strLen = b & 0x3f;
    lpEntry.strStart = p + 1;
    size = 1 + lpEntry.strLen;
  } else if ((b & 0xe0) === 0xc0) {
    if (p + 2 > last) throw new BlobFormatError('listpack entry runs past the end', p - base);
    const u = ((b & 0x1f) << 8) | buf[p + 1]!;
    lpEntry.strLen = -1;
    lpEntry.int = u >= 4096 ? u - 8192 : u;
    size = 2;
  } else if ((b & 0xf0) === 0xe0) {
    if (p + 2 > last) throw new BlobFormatError('listpack entry runs past the end', p - base);
    lpEntry.strLen = ((b & 0x0f) << 8) | buf[p + 1]!;
    lpEntry.strStart = p + 2;
    size = 2 + lpEntry.strLen;
  } else {
    let w = 0;
    switch (b) {
      case 0xf0:
        if (p + 5 > last) throw new BlobFormatError('listpack entry runs past the end', p - base);
        lpEntry.strLen = buf.readUInt32LE(p + 1);
        lpEntry.strStart = p + 5;
        size = 5 + lpEntry.strLen;
        break;
      case 0xf1: w = 2; break;
      case 0xf2: w = 3; break;
      case 0xf3: w = 4; break;
      case 0xf4: w = 8; break;
      default:
        throw new BlobFormatError(`bad listpack encoding byte 0x${b.toString(16)}`, p - base);
    }
    if (w > 0) {
      if (p + 1 + w > last) throw new BlobFormatError('listpack integer runs past the end', p - base);
      lpEntry.strLen = -1;
      if (w === 2) lpEntry.int = buf.readInt16LE(p + 1);
      else if (w === 3) lpEntry.int = buf.readIntLE(p + 1, 3);
      else if (w === 4) lpEntry.int = buf.readInt32LE(p + 1);
      else {
        const v = readInt64Safe(buf, p + 1);
        if (v === v) lpEntry.int = v;
        else lpEntry.big = buf.readBigInt64LE(p + 1);
      }
      size = 1 + w;
    }
  }
  const next = p + size + lpBacklenSize(size);
  if (next > last) throw new BlobFormatError('listpack entry runs past the end', p - base);
  lpEntry.size = size;
  return next;
}

/** lpDecodeBacklen: the back-length whose last byte is at buf[p] (read backwards), or -1. */
function lpDecodeBacklen(buf: Buffer, p: number, first: number): number {
  let val = 0;
  let shift = 0;
  for (;;) {
    const b = buf[p]!;
    val += (b & 127) * 2 ** shift;
    if ((b & 128) === 0) return val;
    shift += 7;
    if (shift > 28 || --p < first) return -1;
  }
}

function checkHeader(buf: Buffer, start: number, end: number): void {
  const size = end - start;
  if (size < LP_HEADER + 1) throw new BlobFormatError(`listpack of ${size} bytes is shorter than its header`, 0);
  const total = buf.readUInt32LE(start);
  if (total !== size) throw new BlobFormatError(`listpack header says ${total} bytes but the blob has ${size}`, 0);
  if (buf[end - 1] !== LP_EOF) throw new BlobFormatError('listpack does not end with 0xFF', size - 1);
}

/**
 * Walk the listpack in buf[start, end): element entries (per `layout`) go to `stats`; `scan`
 * gets the entry count and, in values mode, the entries.
 */
export function scanListpack(
  buf: Buffer,
  start: number,
  end: number,
  layout: EntryLayout,
  stats: ElementStats | null,
  scan: BlobScan,
): void {
  checkHeader(buf, start, end);
  const values = scan.values;
  const last = end - 1;
  const fields = layout.stride === 2 ? scan.fields : null;
  let p = start + LP_HEADER;
  let n = 0;
  let phase = 0;
  while (p < last) {
    const entryAt = p;
    p = readEntry(buf, p, last, start);
    // lpValidateNext: the back-length at the end of the entry matches its size
    // (an entry under 128 bytes has a one-byte back-length equal to its size: the common case inline)
    const size = lpEntry.size;
    if ((size >= 128 || buf[p - 1] !== size) && lpDecodeBacklen(buf, p - 1, entryAt) !== size) {
      scan.damaged(`listpack entry's back-length does not match its ${lpEntry.size} bytes`, p - 1 - start);
    }
    if (fields !== null && phase === 0) {
      if (lpEntry.strLen >= 0) scan.fieldBytes(buf, lpEntry.strStart, lpEntry.strLen, entryAt - start);
      else scan.fieldInt(lpEntry.big ?? lpEntry.int, entryAt - start);
    }
    const isElement = ((layout.elementMask >> phase) & 1) === 1;
    if (lpEntry.strLen >= 0) {
      const s = lpEntry.strStart;
      const len = lpEntry.strLen;
      if (isElement && stats) stats.add(len, len <= 20 ? classifyIntegerText(buf, s, len) : 0);
      if (values) values.push(Buffer.from(buf.subarray(s, s + len)));
    } else if (lpEntry.big !== null) {
      if (isElement && stats) stats.addBigInt(lpEntry.big);
      if (values) values.push(lpEntry.big);
    } else {
      const v = lpEntry.int;
      if (isElement && stats) stats.add(decimalLength(v), intClassOf(v));
      if (values) values.push(v);
    }
    n++;
    if (++phase === layout.stride) phase = 0;
  }
  if (p !== last) throw new BlobFormatError('listpack entries overrun the terminator', p - start);
  // lpValidateIntegrity: the header count right, unless it is LP_HDR_NUMELE_UNKNOWN
  const numele = buf.readUInt16LE(start + 4);
  if (numele !== 0xffff && numele !== n) scan.damaged(`listpack header counts ${numele} entries, it holds ${n}`, 4);
  scan.entries = n;
  scan.listpackBytes = end - start;
  scan.ziplistBytes = 0;
}

/** Decode every entry of a listpack (stream nodes, values mode). */
export function decodeListpack(buf: Buffer, start: number, end: number): EncodedValue[] {
  checkHeader(buf, start, end);
  const out: EncodedValue[] = [];
  const last = end - 1;
  let p = start + LP_HEADER;
  while (p < last) {
    p = readEntry(buf, p, last, start);
    if (lpEntry.strLen >= 0) out.push(Buffer.from(buf.subarray(lpEntry.strStart, lpEntry.strStart + lpEntry.strLen)));
    else out.push(lpEntry.big ?? lpEntry.int);
  }
  if (p !== last) throw new BlobFormatError('listpack entries overrun the terminator', p - start);
  return out;
}

/** Number of entries in a listpack, walking it when the header count is the 65535 sentinel. */
export function listpackEntryCount(buf: Buffer, start: number, end: number): number {
  checkHeader(buf, start, end);
  const hdr = buf.readUInt16LE(start + 4);
  if (hdr !== 0xffff) return hdr;
  const last = end - 1;
  let p = start + LP_HEADER;
  let n = 0;
  while (p < last) {
    p = readEntry(buf, p, last, start);
    n++;
  }
  return n;
}

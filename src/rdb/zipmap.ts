/**
 * Zipmap walking (zipmap.c): hashes in RDB 1-3 dumps (Redis 2.4 and older).
 * Layout: zmlen u8 | (len field len free value free-bytes)* | 0xFF, where len is one byte
 * below 254 or 254 followed by a 4-byte little-endian length.
 */
import { BlobFormatError, BlobScan, lpStringEntrySize } from './encoded.js';
import { ElementStats, LP_INT_SIZE, classifyIntegerText } from './facts.js';

const ZIPMAP_BIGLEN = 254;
const ZIPMAP_END = 255;

export function scanZipmap(buf: Buffer, start: number, end: number, stats: ElementStats | null, scan: BlobScan): void {
  if (end - start < 2) throw new BlobFormatError('zipmap shorter than 2 bytes', 0);
  const values = scan.values;
  let p = start + 1;
  let entries = 0;
  let lpBytes = 7;
  const readLen = (): number => {
    if (p >= end) throw new BlobFormatError('zipmap runs past the end', p - start);
    const b = buf[p]!;
    if (b < ZIPMAP_BIGLEN) {
      p += 1;
      return b;
    }
    if (b === ZIPMAP_BIGLEN) {
      if (p + 5 > end) throw new BlobFormatError('zipmap length runs past the end', p - start);
      const l = buf.readUInt32LE(p + 1);
      p += 5;
      return l;
    }
    return -1; // ZIPMAP_END
  };
  for (;;) {
    const flen = readLen();
    if (flen < 0) break;
    if (p + flen > end) throw new BlobFormatError('zipmap field runs past the end', p - start);
    const fstart = p;
    p += flen;
    const vlen = readLen();
    if (vlen < 0) throw new BlobFormatError('zipmap field without a value', p - start);
    if (p + 1 + vlen > end) throw new BlobFormatError('zipmap value runs past the end', p - start);
    const free = buf[p]!;
    const vstart = p + 1;
    p = vstart + vlen + free;
    if (p > end) throw new BlobFormatError('zipmap free space runs past the end', vstart - start);
    // rdbLoadObject converts a zipmap with a dict that refuses duplicate fields
    if (scan.fields !== null) scan.fieldBytes(buf, fstart, flen, fstart - start);
    for (const [s, l] of [[fstart, flen], [vstart, vlen]] as const) {
      const cls = l <= 20 ? classifyIntegerText(buf, s, l) : 0;
      lpBytes += cls !== 0 ? LP_INT_SIZE[cls]! + 1 : lpStringEntrySize(l);
      if (stats) stats.add(l, cls);
      if (values) values.push(Buffer.from(buf.subarray(s, s + l)));
    }
    entries += 2;
  }
  if (buf[p] !== ZIPMAP_END || p !== end - 1) throw new BlobFormatError('zipmap does not end with 0xFF', p - start);
  // zipmapValidateIntegrity: not empty, and the count byte right unless it is ZIPMAP_BIGLEN
  const zmlen = buf[start]!;
  if (entries === 0) scan.damaged('zipmap holds no fields', 0);
  else if (zmlen !== ZIPMAP_BIGLEN && zmlen !== entries / 2) scan.damaged(`zipmap count byte ${zmlen} does not match its ${entries / 2} fields`, 0);
  scan.entries = entries;
  scan.listpackBytes = lpBytes;
  scan.ziplistBytes = 0;
}

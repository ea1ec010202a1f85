/**
 * Ziplist walking (ziplist.c): RDB 4-9 lists, hashes and zsets, and quicklist 1 nodes.
 * Layout: zlbytes u32 | zltail u32 | zllen u16 | entries | 0xFF. Entry: prevlen (1 or 5 bytes),
 * encoding (string length or integer type), data.
 */
import { BlobFormatError, BlobScan, EntryLayout, lpStringEntrySize } from './encoded.js';
import { ElementStats, LP_INT_SIZE, classifyIntegerText, intClassOf, decimalLength, INT_CLASS, readInt64Safe } from './facts.js';

const ZIP_END = 0xff;
const ZIP_BIG_PREVLEN = 0xfe;
const ZIPLIST_HEADER = 10;

/**
 * Walk the ziplist in buf[start, end). Element entries (per `layout`) are recorded in `stats`;
 * `scan` receives the entry count, the size the same entries take as a listpack (what 7.0+
 * converts ziplists to on load) and, in values mode, the entries.
 */
export function scanZiplist(
  buf: Buffer,
  start: number,
  end: number,
  layout: EntryLayout,
  stats: ElementStats | null,
  scan: BlobScan,
): void {
  const size = end - start;
  if (size < ZIPLIST_HEADER + 1) throw new BlobFormatError(`ziplist of ${size} bytes is shorter than its header`, 0);
  const zlbytes = buf.readUInt32LE(start);
  if (zlbytes !== size) throw new BlobFormatError(`ziplist header says ${zlbytes} bytes but the blob has ${size}`, 0);
  if (buf[end - 1] !== ZIP_END) throw new BlobFormatError('ziplist does not end with 0xFF', size - 1);
  // ziplistValidateIntegrity: the tail offset inside the blob, each prevlen the previous
  // entry's size, the tail offset at the last entry, the header count right (unless 65535)
  const zltail = buf.readUInt32LE(start + 4);
  if (zltail > size - 1) scan.damaged(`ziplist tail offset ${zltail} is past its ${size} bytes`, 4);
  const zllen = buf.readUInt16LE(start + 8);
  const fields = layout.stride === 2 ? scan.fields : null;
  let prevStart = -1;
  let prevSize = 0;
  const values = scan.values;
  let p = start + ZIPLIST_HEADER;
  let n = 0;
  let lpBytes = 7;
  let phase = 0;
  const last = end - 1;
  while (p < last) {
    const entryStart = p;
    // prevlen
    let prevlen = buf[p]!;
    if (prevlen === ZIP_END) throw new BlobFormatError('ziplist terminator 0xFF before the end of the blob', p - start);
    if (prevlen === ZIP_BIG_PREVLEN) {
      if (p + 5 >= last) throw new BlobFormatError('ziplist entry header runs past the end', entryStart - start);
      prevlen = buf.readUInt32LE(p + 1);
      p += 5;
    } else p += 1;
    if (p >= last) throw new BlobFormatError('ziplist entry header runs past the end', entryStart - start);
    if (prevlen !== prevSize) scan.damaged(`ziplist entry says the previous one has ${prevlen} bytes, it has ${prevSize}`, entryStart - start);
    const enc = buf[p]!;
    let strLen = -1;
    let iv = 0;
    let big: bigint | null = null;
    switch (enc >> 6) {
      case 0:
        strLen = enc & 0x3f;
        p += 1;
        break;
      case 1:
        if (p + 2 > last) throw new BlobFormatError('ziplist entry header runs past the end', p - start);
        strLen = ((enc & 0x3f) << 8) | buf[p + 1]!;
        p += 2;
        break;
      case 2:
        if (enc !== 0x80 || p + 5 > last) throw new BlobFormatError(`bad ziplist string encoding 0x${enc.toString(16)}`, p - start);
        strLen = buf.readUInt32BE(p + 1);
        p += 5;
        break;
      default: {
        p += 1;
        let w = 0;
        if (enc === 0xc0) w = 2;
        else if (enc === 0xd0) w = 4;
        else if (enc === 0xe0) w = 8;
        else if (enc === 0xf0) w = 3;
        else if (enc === 0xfe) w = 1;
        else if (enc >= 0xf1 && enc <= 0xfd) iv = (enc & 0x0f) - 1;
        else throw new BlobFormatError(`bad ziplist integer encoding 0x${enc.toString(16)}`, p - 1 - start);
        if (p + w > last) throw new BlobFormatError('ziplist integer runs past the end', p - start);
        if (w === 1) iv = buf.readInt8(p);
        else if (w === 2) iv = buf.readInt16LE(p);
        else if (w === 3) iv = buf.readIntLE(p, 3);
        else if (w === 4) iv = buf.readInt32LE(p);
        else if (w === 8) {
          iv = readInt64Safe(buf, p);
          if (iv !== iv) big = buf.readBigInt64LE(p);
        }
        p += w;
      }
    }
    const isElement = ((layout.elementMask >> phase) & 1) === 1;
    if (strLen >= 0) {
      if (p + strLen > last) throw new BlobFormatError(`ziplist string of ${strLen} bytes runs past the end`, p - start);
      if (fields !== null && phase === 0) scan.fieldBytes(buf, p, strLen, entryStart - start);
      lpBytes += lpStringEntrySize(strLen);
      const cls = strLen <= 20 ? classifyIntegerText(buf, p, strLen) : 0;
      if (cls !== 0) lpBytes += LP_INT_SIZE[cls]! + 1 - lpStringEntrySize(strLen);
      if (isElement && stats) stats.add(strLen, cls);
      if (values) values.push(Buffer.from(buf.subarray(p, p + strLen)));
      p += strLen;
    } else if (big !== null) {
      if (fields !== null && phase === 0) scan.fieldInt(big, entryStart - start);
      lpBytes += LP_INT_SIZE[INT_CLASS.INT64] + 1;
      if (isElement && stats) stats.addBigInt(big);
      if (values) values.push(big);
    } else {
      if (fields !== null && phase === 0) scan.fieldInt(iv, entryStart - start);
      const cls = intClassOf(iv);
      lpBytes += LP_INT_SIZE[cls]! + 1;
      if (isElement && stats) stats.add(decimalLength(iv), cls);
      if (values) values.push(iv);
    }
    n++;
    prevStart = entryStart;
    prevSize = p - entryStart;
    if (++phase === layout.stride) phase = 0;
  }
  if (p !== last) throw new BlobFormatError('ziplist entries overrun the terminator', p - start);
  if (prevStart >= 0 && prevStart - start !== zltail) scan.damaged(`ziplist tail offset ${zltail} is not its last entry's (${prevStart - start})`, 4);
  if (zllen !== 0xffff && zllen !== n) scan.damaged(`ziplist header counts ${zllen} entries, it holds ${n}`, 8);
  scan.entries = n;
  scan.listpackBytes = lpBytes;
  scan.ziplistBytes = size;
}

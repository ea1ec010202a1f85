/**
 * Intset walking (intset.c): sets of integers. Layout: encoding u32 (2, 4 or 8) | length u32 |
 * little-endian integers of that width, sorted.
 */
import { BlobFormatError, BlobScan } from './encoded.js';
import { ElementStats, readInt64Safe } from './facts.js';

export function scanIntset(buf: Buffer, start: number, end: number, stats: ElementStats | null, scan: BlobScan): number {
  const size = end - start;
  if (size < 8) throw new BlobFormatError(`intset of ${size} bytes is shorter than its header`, 0);
  const width = buf.readUInt32LE(start);
  const length = buf.readUInt32LE(start + 4);
  if (width !== 2 && width !== 4 && width !== 8) throw new BlobFormatError(`intset encoding ${width} is not 2, 4 or 8`, 0);
  if (8 + length * width !== size) {
    throw new BlobFormatError(`intset of ${length} x ${width}-byte integers needs ${8 + length * width} bytes, blob has ${size}`, 4);
  }
  // intsetValidateIntegrity: not empty, and (deep) strictly ascending
  if (length === 0) scan.damaged('intset holds no integers', 4);
  const values = scan.values;
  let p = start + 8;
  let prev = -Infinity;
  let prevBig: bigint | null = null;
  for (let i = 0; i < length; i++, p += width) {
    if (width === 2) {
      const v = buf.readInt16LE(p);
      if (v <= prev) scan.damaged('intset integers are not in ascending order', p - start);
      prev = v;
      if (stats) stats.addInt(v);
      if (values) values.push(v);
    } else if (width === 4) {
      const v = buf.readInt32LE(p);
      if (v <= prev) scan.damaged('intset integers are not in ascending order', p - start);
      prev = v;
      if (stats) stats.addInt(v);
      if (values) values.push(v);
    } else {
      const v = readInt64Safe(buf, p);
      if (v === v && prevBig === null) {
        if (v <= prev) scan.damaged('intset integers are not in ascending order', p - start);
        prev = v;
        if (stats) stats.addInt(v);
        if (values) values.push(v);
      } else {
        // beyond 2^53 (or after such a value): compare exactly
        const b = buf.readBigInt64LE(p);
        if ((prevBig !== null && b <= prevBig) || (prevBig === null && prev !== -Infinity && b <= BigInt(prev))) {
          scan.damaged('intset integers are not in ascending order', p - start);
        }
        prevBig = b;
        if (v === v) {
          if (stats) stats.addInt(v);
          if (values) values.push(v);
        } else {
          if (stats) stats.addBigInt(b);
          if (values) values.push(b);
        }
      }
    }
  }
  scan.entries = length;
  scan.listpackBytes = 0;
  scan.ziplistBytes = 0;
  return width;
}

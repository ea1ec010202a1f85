// CRC-64 as used for the RDB trailer; mirrors crc64.c in Redis ("Jones" polynomial
// 0xad93d23594c935a9, reflected input and output, init 0, no final xor).
//
// The 64-bit state is kept as two uint32 halves (hi, lo) so the hot loop stays in
// small-integer arithmetic (no BigInt). Bytes are processed 16 at a time with
// slicing-by-16 tables (read as four 32-bit words where the machine is little-endian);
// leftovers go through the classic byte-at-a-time table.

// The polynomial bit-reversed (as a reflected CRC uses it): 0x95ac9329ac4bc9b5.
const POLY_REV_HI = 0x95ac9329;
const POLY_REV_LO = 0xac4bc9b5;

// TAB_LO[k * 256 + i] / TAB_HI[k * 256 + i]: low/high halves of table k, entry i.
// Table 0 is the usual byte table; table k advances table k-1 by one more zero byte.
const TAB_LO = new Uint32Array(16 * 256);
const TAB_HI = new Uint32Array(16 * 256);

for (let i = 0; i < 256; i++) {
  let lo = i;
  let hi = 0;
  for (let bit = 0; bit < 8; bit++) {
    const mask = -(lo & 1); // all ones when the low bit is set
    lo = ((lo >>> 1) | (hi << 31)) ^ (POLY_REV_LO & mask);
    hi = (hi >>> 1) ^ (POLY_REV_HI & mask);
  }
  TAB_LO[i] = lo >>> 0;
  TAB_HI[i] = hi >>> 0;
}
for (let k = 1; k < 16; k++) {
  for (let i = 0; i < 256; i++) {
    const plo = TAB_LO[(k - 1) * 256 + i]!;
    const phi = TAB_HI[(k - 1) * 256 + i]!;
    const idx = plo & 0xff;
    TAB_LO[k * 256 + i] = (((plo >>> 8) | (phi << 24)) ^ TAB_LO[idx]!) >>> 0;
    TAB_HI[k * 256 + i] = ((phi >>> 8) ^ TAB_HI[idx]!) >>> 0;
  }
}

/** whether 32-bit words read the bytes little-endian here (then blocks are read a word at a time) */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
/** ranges shorter than this take the byte loads (a word view costs an allocation) */
const WORDS_MIN = 256;

function hex8(n: number): string {
  return n.toString(16).padStart(8, '0');
}

export class Crc64 {
  private lo = 0;
  private hi = 0;

  /** Feed bytes buf[start, end). Throws RangeError on an invalid range. */
  update(buf: Uint8Array, start: number, end: number): void {
    if (!(start >= 0 && start <= end && end <= buf.length)) {
      throw new RangeError(`Crc64.update: bad range [${start}, ${end}) for length ${buf.length}`);
    }
    const TL = TAB_LO;
    const TH = TAB_HI;
    let lo = this.lo;
    let hi = this.hi;
    let i = start;

    // Slicing-by-16: xor the first 8 input bytes (two little-endian words) into the state;
    // then every one of the 16 bytes (8 state-mixed, 8 raw) is looked up in the table for its
    // distance from the end of the block (byte j uses table 15 - j, at 256 * (15 - j)). On a
    // little-endian machine a long range is read as 32-bit words (about 20 % faster than byte
    // loads), after bytes one at a time up to a 4-byte boundary of the buffer.
    let w: Int32Array | null = null;
    let w0 = i;
    if (LITTLE_ENDIAN && end - start >= WORDS_MIN) {
      while ((buf.byteOffset + i) & 3) {
        const idx = (lo ^ buf[i]!) & 0xff;
        lo = ((lo >>> 8) | (hi << 24)) ^ TL[idx]!;
        hi = (hi >>> 8) ^ TH[idx]!;
        i++;
      }
      w = new Int32Array(buf.buffer, buf.byteOffset + i, ((end - i) >>> 4) << 2);
      w0 = i;
    }
    const blocksEnd = i + (((end - i) >>> 4) << 4);
    while (i < blocksEnd) {
      let x2: number;
      let x3: number;
      if (w !== null) {
        const k = (i - w0) >>> 2;
        lo ^= w[k]!;
        hi ^= w[k + 1]!;
        x2 = w[k + 2]!;
        x3 = w[k + 3]!;
      } else {
        lo ^= buf[i]! | (buf[i + 1]! << 8) | (buf[i + 2]! << 16) | (buf[i + 3]! << 24);
        hi ^= buf[i + 4]! | (buf[i + 5]! << 8) | (buf[i + 6]! << 16) | (buf[i + 7]! << 24);
        x2 = buf[i + 8]! | (buf[i + 9]! << 8) | (buf[i + 10]! << 16) | (buf[i + 11]! << 24);
        x3 = buf[i + 12]! | (buf[i + 13]! << 8) | (buf[i + 14]! << 16) | (buf[i + 15]! << 24);
      }
      const a = 3840 + (lo & 0xff);
      const b = 3584 + ((lo >>> 8) & 0xff);
      const c = 3328 + ((lo >>> 16) & 0xff);
      const d = 3072 + (lo >>> 24);
      const e = 2816 + (hi & 0xff);
      const f = 2560 + ((hi >>> 8) & 0xff);
      const g = 2304 + ((hi >>> 16) & 0xff);
      const h = 2048 + (hi >>> 24);
      const a2 = 1792 + (x2 & 0xff);
      const b2 = 1536 + ((x2 >>> 8) & 0xff);
      const c2 = 1280 + ((x2 >>> 16) & 0xff);
      const d2 = 1024 + (x2 >>> 24);
      const e2 = 768 + (x3 & 0xff);
      const f2 = 512 + ((x3 >>> 8) & 0xff);
      const g2 = 256 + ((x3 >>> 16) & 0xff);
      const h2 = x3 >>> 24;
      lo = TL[a]! ^ TL[b]! ^ TL[c]! ^ TL[d]! ^ TL[e]! ^ TL[f]! ^ TL[g]! ^ TL[h]! ^
        TL[a2]! ^ TL[b2]! ^ TL[c2]! ^ TL[d2]! ^ TL[e2]! ^ TL[f2]! ^ TL[g2]! ^ TL[h2]!;
      hi = TH[a]! ^ TH[b]! ^ TH[c]! ^ TH[d]! ^ TH[e]! ^ TH[f]! ^ TH[g]! ^ TH[h]! ^
        TH[a2]! ^ TH[b2]! ^ TH[c2]! ^ TH[d2]! ^ TH[e2]! ^ TH[f2]! ^ TH[g2]! ^ TH[h2]!;
      i += 16;
    }
    // Tail, one byte at a time: crc = table[(crc ^ byte) & 0xff] ^ (crc >> 8).
    while (i < end) {
      const idx = (lo ^ buf[i]!) & 0xff;
      lo = ((lo >>> 8) | (hi << 24)) ^ TL[idx]!;
      hi = (hi >>> 8) ^ TH[idx]!;
      i++;
    }
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
  }

  /** true when the 8 bytes at buf[off..off+8) (little-endian, as in the RDB trailer) equal the current CRC */
  matchesLE(buf: Uint8Array, off: number): boolean {
    if (!(off >= 0 && off + 8 <= buf.length)) return false;
    const lo = (buf[off]! | (buf[off + 1]! << 8) | (buf[off + 2]! << 16) | (buf[off + 3]! << 24)) >>> 0;
    const hi = (buf[off + 4]! | (buf[off + 5]! << 8) | (buf[off + 6]! << 16) | (buf[off + 7]! << 24)) >>> 0;
    return lo === this.lo && hi === this.hi;
  }

  /** current value as a 16-digit lowercase hex string */
  hex(): string {
    return hex8(this.hi) + hex8(this.lo);
  }

  /** current value as bigint (for tests and messages only) */
  value(): bigint {
    return (BigInt(this.hi) << 32n) | BigInt(this.lo);
  }

  reset(): void {
    this.lo = 0;
    this.hi = 0;
  }
}

/** One-shot CRC-64 of the whole buffer. */
export function crc64(buf: Uint8Array): bigint {
  const c = new Crc64();
  c.update(buf, 0, buf.length);
  return c.value();
}

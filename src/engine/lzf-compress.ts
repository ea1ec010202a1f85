/**
 * lzf_compress exactly as Redis builds it (lzf_c.c with lzfP.h: HLOG 16, VERY_FAST 1,
 * ULTRA_FAST 0, STRICT_ALIGN off on x86): the same input gives the same bytes, so DUMP payloads
 * and RDB strings compressed here are byte-identical to Redis's. (Redis leaves its hash table
 * uninitialised, INIT_HTAB 0; stale slots can only ever propose genuine earlier matches within
 * the current input, which in practice never differ from a clean table's — the tests compare.)
 */

const HLOG = 16;
const HSIZE = 1 << HLOG;
const MAX_LIT = 1 << 5;
const MAX_OFF = 1 << 13;
const MAX_REF = (1 << 8) + (1 << 3);

const htab = new Int32Array(HSIZE);

/** IDX(h) for VERY_FAST: ((h >> (3*8 - HLOG)) - h*5) & (HSIZE - 1), unsigned 32-bit */
function idx(h: number): number {
  return ((h >>> (24 - HLOG)) - Math.imul(h, 5)) & (HSIZE - 1);
}

/**
 * lzf_compress(in, in_len, out, out_len): the compressed length written to `out`, or 0 when it
 * would not fit in `outLen` bytes (or either length is 0).
 */
export function lzfCompressInto(input: Uint8Array, out: Uint8Array, outLen: number): number {
  const inLen = input.length;
  if (!inLen || !outLen) return 0;
  htab.fill(0); // slot = position + 1, 0 = empty
  const inEnd = inLen;
  const outEnd = outLen;
  let ip = 0;
  let op = 0;
  let lit = 0;
  op++; // start run
  let hval = ((input[0]! << 8) | (inLen > 1 ? input[1]! : 0)) >>> 0;
  while (ip < inEnd - 2) {
    hval = ((hval << 8) | input[ip + 2]!) >>> 0;
    const slot = idx(hval);
    const ref = htab[slot]! - 1; // -1: none
    htab[slot] = ip + 1;
    let off: number;
    if (
      ref >= 0 &&
      (off = ip - ref - 1) >= 0 &&
      off < MAX_OFF &&
      ref > 0 && // `ref > (u8 *)in_data`: position 0 is never referenced
      input[ref + 2] === input[ip + 2] &&
      input[ref] === input[ip] &&
      input[ref + 1] === input[ip + 1]
    ) {
      let len = 2;
      let maxlen = inEnd - ip - len;
      maxlen = maxlen > MAX_REF ? MAX_REF : maxlen;
      if (op + 3 + 1 >= outEnd) {
        if (op - (lit ? 0 : 1) + 3 + 1 >= outEnd) return 0;
      }
      out[op - lit - 1] = lit - 1; // stop run
      op -= lit ? 0 : 1; // undo run if length is zero
      let unrolledBreak = false;
      if (maxlen > 16) {
        for (let k = 0; k < 16; k++) {
          len++;
          if (input[ref + len] !== input[ip + len]) {
            unrolledBreak = true;
            break;
          }
        }
      }
      if (!unrolledBreak) {
        do len++;
        while (len < maxlen && input[ref + len] === input[ip + len]);
      }
      len -= 2;
      ip++;
      if (len < 7) {
        out[op++] = (off >> 8) + (len << 5);
      } else {
        out[op++] = (off >> 8) + (7 << 5);
        out[op++] = len - 7;
      }
      out[op++] = off & 0xff;
      lit = 0;
      op++; // start run
      ip += len + 1;
      if (ip >= inEnd - 2) break;
      // VERY_FAST: re-hash the last two positions of the match
      ip -= 2;
      hval = ((input[ip]! << 8) | input[ip + 1]!) >>> 0;
      hval = ((hval << 8) | input[ip + 2]!) >>> 0;
      htab[idx(hval)] = ip + 1;
      ip++;
      hval = ((hval << 8) | input[ip + 2]!) >>> 0;
      htab[idx(hval)] = ip + 1;
      ip++;
    } else {
      if (op >= outEnd) return 0;
      lit++;
      out[op++] = input[ip++]!;
      if (lit === MAX_LIT) {
        out[op - lit - 1] = lit - 1;
        lit = 0;
        op++;
      }
    }
  }
  if (op + 3 > outEnd) return 0;
  while (ip < inEnd) {
    lit++;
    out[op++] = input[ip++]!;
    if (lit === MAX_LIT) {
      out[op - lit - 1] = lit - 1;
      lit = 0;
      op++;
    }
  }
  out[op - lit - 1] = lit - 1; // end run
  op -= lit ? 0 : 1;
  return op;
}

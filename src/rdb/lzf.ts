// LZF (liblzf, as bundled in Redis: lzf_d.c / lzf_c.c), used for RDB_ENC_LZF strings
// and compressed quicklist nodes.
//
// Stream format: a sequence of ops, each starting with a control byte `ctrl`:
//   ctrl < 32 : literal run, ctrl + 1 bytes follow and are copied verbatim
//   ctrl >= 32: back-reference, len = ctrl >> 5 (1..7); when len == 7 one more byte
//               is added to len; then one byte `lo`. The copy starts
//               ((ctrl & 0x1f) << 8) + lo + 1 bytes back in the output and is len + 2
//               bytes long (so 3..264 bytes, from up to 8192 bytes back).

const MAX_LIT = 32; // 1 << 5
const MAX_OFF = 8192; // 1 << 13
const MAX_REF = 264; // (1 << 8) + (1 << 3): 7 + 255 + 2

/**
 * Decompress src[start,end) into out[0, out.length). Returns the number of bytes written,
 * or -1 when the input is corrupt (back-reference before the output start, output would
 * overflow, input ends inside a run). Never throws on bad input, never reads or writes out
 * of bounds.
 */
export function lzfDecompress(src: Uint8Array, start: number, end: number, out: Uint8Array): number {
  if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end <= src.length)) {
    return -1;
  }
  const outEnd = out.length;
  let ip = start;
  let op = 0;
  // lzf_d.c uses do { } while (ip < in_end); Redis never passes empty input. Here
  // empty input simply decodes to nothing.
  while (ip < end) {
    let ctrl = src[ip++]!;
    if (ctrl < 32) {
      // Literal run of ctrl + 1 bytes.
      ctrl++;
      if (op + ctrl > outEnd) return -1; // E2BIG
      if (ip + ctrl > end) return -1; // EINVAL: input ends inside the run
      // at most 32 bytes: a plain loop beats creating a subarray for out.set
      while (ctrl-- > 0) out[op++] = src[ip++]!;
    } else {
      // Back-reference.
      let len = ctrl >> 5;
      let ref = op - ((ctrl & 0x1f) << 8) - 1;
      if (ip >= end) return -1; // EINVAL
      if (len === 7) {
        len += src[ip++]!;
        if (ip >= end) return -1; // EINVAL
      }
      ref -= src[ip++]!;
      len += 2;
      if (op + len > outEnd) return -1; // E2BIG
      if (ref < 0) return -1; // EINVAL: reference before the output start
      if (op - ref >= len && len > 32) {
        // no overlap: one native copy
        out.copyWithin(op, ref, ref + len);
        op += len;
      } else {
        // byte by byte: source and destination overlap when the distance < len
        // (that is how runs are encoded)
        while (len-- > 0) out[op++] = out[ref++]!;
      }
    }
  }
  return op;
}

/**
 * LZF compression compatible with Redis's lzf_c.c output format (any valid LZF stream is
 * fine; it need not be byte-identical to Redis). Returns the compressed bytes, or null when
 * it would not be smaller than the input. Used by tests and the fuzzer to build inputs.
 */
export function lzfCompress(src: Uint8Array): Buffer | null {
  const n = src.length;
  if (n === 0) return null;
  // Worst case: every 32 literal bytes cost one control byte.
  const out = Buffer.allocUnsafe(n + Math.ceil(n / MAX_LIT));
  const HLOG = 14;
  // Hash of 3 bytes -> last position + 1 where they were seen (0 = never).
  const htab = new Int32Array(1 << HLOG);
  const hash = (p: number): number =>
    Math.imul((src[p]! << 16) | (src[p + 1]! << 8) | src[p + 2]!, 0x9e3779b1) >>> (32 - HLOG);

  let op = 0;
  let litStart = 0; // first byte of the pending literal run
  let ip = 0;

  const flushLiterals = (upTo: number): void => {
    while (litStart < upTo) {
      const run = Math.min(MAX_LIT, upTo - litStart);
      out[op++] = run - 1;
      for (let k = 0; k < run; k++) out[op++] = src[litStart + k]!;
      litStart += run;
    }
  };

  while (ip + 2 < n) {
    const h = hash(ip);
    const ref = htab[h]! - 1;
    htab[h] = ip + 1;
    const dist = ip - ref; // 1..MAX_OFF allowed
    if (ref >= 0 && dist <= MAX_OFF && src[ref] === src[ip] && src[ref + 1] === src[ip + 1] && src[ref + 2] === src[ip + 2]) {
      const maxLen = Math.min(MAX_REF, n - ip);
      let len = 3;
      while (len < maxLen && src[ref + len] === src[ip + len]) len++;
      flushLiterals(ip);
      // Emit the back-reference as lzf_c.c does: len - 2, offset - 1.
      const l = len - 2;
      const off = dist - 1;
      if (l < 7) {
        out[op++] = (l << 5) | (off >> 8);
      } else {
        out[op++] = (7 << 5) | (off >> 8);
        out[op++] = l - 7;
      }
      out[op++] = off & 0xff;
      // Index the positions inside the match so later data can refer to them.
      const stop = Math.min(ip + len, n - 2);
      for (let p = ip + 1; p < stop; p++) htab[hash(p)] = p + 1;
      ip += len;
      litStart = ip;
    } else {
      ip++;
    }
  }
  flushLiterals(n);
  if (op >= n) return null;
  return Buffer.from(out.subarray(0, op));
}

/**
 * The checks lzf_decompress makes (lzf_d.c), without writing the output: the lengths of a
 * stream fed in any split. rdbLoadLzfStringObject refuses a string whose stream does not
 * decode to exactly the length it claims; the parser runs this over the LZF strings whose
 * bytes it does not need (summary mode), so it finds the same damage without decompressing.
 */
export class LzfCheck {
  /** bytes the stream decodes to so far */
  out = 0;
  /** set at the first op that would overflow the claimed length or refer before the start */
  bad = false;
  private max = 0;
  /** literal bytes of the current run still to come */
  private lit = 0;
  /** 0: at a control byte; 1: a back-reference's length byte next; 2: its offset byte next */
  private hdr = 0;
  private len = 0;
  private off = 0;

  reset(claimed: number): void {
    this.out = 0;
    this.bad = false;
    this.max = claimed;
    this.lit = 0;
    this.hdr = 0;
  }

  feed(src: Uint8Array, start: number, end: number): void {
    let ip = start;
    while (ip < end && !this.bad) {
      if (this.lit > 0) {
        const n = Math.min(this.lit, end - ip);
        ip += n;
        this.lit -= n;
        continue;
      }
      const c = src[ip++]!;
      if (this.hdr === 0) {
        if (c < MAX_LIT) {
          const run = c + 1;
          if (this.out + run > this.max) this.bad = true; // E2BIG
          this.out += run;
          this.lit = run;
        } else {
          this.len = c >> 5;
          this.off = (c & 0x1f) << 8;
          this.hdr = this.len === 7 ? 1 : 2;
        }
      } else if (this.hdr === 1) {
        this.len += c;
        this.hdr = 2;
      } else {
        const len = this.len + 2;
        if (this.out - this.off - c - 1 < 0 || this.out + len > this.max) this.bad = true; // EINVAL / E2BIG
        this.out += len;
        this.hdr = 0;
      }
    }
  }

  /** Whether the stream fed so far is whole and decodes to exactly the claimed length. */
  ok(): boolean {
    return !this.bad && this.lit === 0 && this.hdr === 0 && this.out === this.max;
  }
}

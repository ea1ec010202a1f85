/**
 * Redis glob patterns (KEYS, SCAN MATCH) on raw bytes: `*`, `?`, `[abc]`, `[^a-z]`, and `\`
 * escapes. Mirrors stringmatchlen (util.c), including its treatment of malformed brackets.
 */

const STAR = 0x2a;
const QUESTION = 0x3f;
const OPEN = 0x5b;
const CLOSE = 0x5d;
const CARET = 0x5e;
const DASH = 0x2d;
const BACKSLASH = 0x5c;

function lower(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c + 32 : c;
}

/** Whether `str` matches the glob `pattern` (both raw bytes). */
export function globMatch(pattern: Uint8Array, str: Uint8Array, nocase = false): boolean {
  return match(pattern, 0, str, 0, nocase, 0);
}

function match(p: Uint8Array, pi: number, s: Uint8Array, si: number, nocase: boolean, depth: number): boolean {
  if (depth > 1000) return false; // like Redis's nesting guard
  const plen = p.length;
  const slen = s.length;
  while (pi < plen && si <= slen) {
    const c = p[pi]!;
    if (c === STAR) {
      while (pi + 1 < plen && p[pi + 1] === STAR) pi++;
      if (pi + 1 === plen) return true;
      for (let k = si; k <= slen; k++) if (match(p, pi + 1, s, k, nocase, depth + 1)) return true;
      return false;
    }
    if (si === slen) return false;
    if (c === QUESTION) {
      si++;
      pi++;
      continue;
    }
    if (c === OPEN) {
      pi++;
      const not = p[pi] === CARET;
      if (not) pi++;
      let found = false;
      for (;;) {
        if (pi >= plen) {
          pi--; // malformed: Redis treats the end as closing the class
          break;
        }
        const b = p[pi]!;
        if (b === BACKSLASH && pi + 1 < plen) {
          pi++;
          if (p[pi] === s[si]) found = true;
        } else if (b === CLOSE) {
          break;
        } else if (pi + 2 < plen && p[pi + 1] === DASH) {
          let start = b;
          let end = p[pi + 2]!;
          let ch = s[si]!;
          if (start > end) [start, end] = [end, start];
          if (nocase) {
            start = lower(start);
            end = lower(end);
            ch = lower(ch);
          }
          pi += 2;
          if (ch >= start && ch <= end) found = true;
        } else if (nocase ? lower(b) === lower(s[si]!) : b === s[si]) {
          found = true;
        }
        pi++;
      }
      if (not) found = !found;
      if (!found) return false;
      si++;
      pi++;
      continue;
    }
    let lit = c;
    if (c === BACKSLASH && pi + 1 < plen) {
      pi++;
      lit = p[pi]!;
    }
    if (nocase ? lower(lit) !== lower(s[si]!) : lit !== s[si]) return false;
    si++;
    pi++;
  }
  while (pi < plen && p[pi] === STAR) pi++;
  return pi === plen && si === slen;
}

/** A compiled pattern: fast paths for `*`, plain prefixes (`user:*`) and exact keys. */
export function compileGlob(pattern: Uint8Array): (key: Uint8Array) => boolean {
  let special = -1;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === STAR || c === QUESTION || c === OPEN || c === BACKSLASH) {
      special = i;
      break;
    }
  }
  if (special < 0) {
    const exact = Buffer.from(pattern);
    return (key) => exact.equals(key);
  }
  if (special === pattern.length - 1 && pattern[special] === STAR) {
    const prefix = Buffer.from(pattern.subarray(0, special));
    return (key) => key.length >= prefix.length && prefix.equals(key.subarray(0, prefix.length));
  }
  const p = Buffer.from(pattern);
  return (key) => globMatch(p, key);
}

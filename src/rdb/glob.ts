/**
 * Redis glob patterns (KEYS, SCAN MATCH, PSUBSCRIBE, CONFIG GET) on raw bytes: `*`, `?`,
 * `[abc]`, `[^a-z]`, and `\` escapes.
 *
 * Mirrors stringmatchlen (util.c, 7.0) result for result, including its quirks:
 * - the empty string matches only the empty pattern (`*` does not match ""; KEYS and SCAN
 *   special-case the lone `*` themselves — compileGlob does the same);
 * - an unterminated class (`[abc`) ends at the end of the pattern;
 * - a range `[x-y]` compares signed chars (bytes >= 0x80 sort below 0x00, as `char` does on
 *   x86-64), swaps reversed ends, and may swallow a `]` as its upper end (`[a-]`);
 * - a `\` escape inside a class compares case-sensitively even with nocase;
 * - nocase folds ASCII A-Z only (C locale tolower).
 *
 * Time is linear per star, never exponential: Redis bounds its recursion with the
 * `skipLongerMatches` flag (once the rest of the pattern after a star has failed at every
 * string position, no earlier star can help). With that flag only the innermost star's
 * position matters, so this is the iterative form: one remembered star, O(pattern × string)
 * steps in the worst case, no recursion (so no stack limit on long patterns).
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

/** The byte as a signed C `char` (x86-64). */
function sc(c: number): number {
  return c >= 0x80 ? c - 256 : c;
}

/** Optional step counter (pattern bytes examined), for tests that bound the work. */
export interface GlobStats {
  steps: number;
}

const SEG_MATCH = -1;
const SEG_FAIL = -2;

// Outcome of runSegment besides SEG_MATCH / SEG_FAIL: a star was reached at pattern index
// segStarP with the string at segStarS.
let segStarP = 0;
let segStarS = 0;
let segSteps = 0;

/**
 * The `while(patternLen && stringLen)` loop of stringmatchlen_impl from (pi, si) up to the
 * first `*` it reaches, a mismatch, or the end. Returns SEG_MATCH, SEG_FAIL, or the index of
 * the star (≥ 0; segStarS holds the string position).
 */
function runSegment(p: Uint8Array, pi: number, s: Uint8Array, si: number, nocase: boolean): number {
  const plen = p.length;
  const slen = s.length;
  while (pi < plen && si < slen) {
    segSteps++;
    const c = p[pi]!;
    if (c === STAR) {
      segStarP = pi;
      segStarS = si;
      return pi;
    }
    if (c === QUESTION) {
      si++;
    } else if (c === OPEN) {
      pi++;
      const not = pi < plen && p[pi] === CARET;
      if (not) pi++;
      let found = false;
      const ch = s[si]!;
      for (;;) {
        segSteps++;
        const left = plen - pi;
        const b = left > 0 ? p[pi]! : 0; // Redis reads the NUL terminator here
        if (b === BACKSLASH && left >= 2) {
          pi++;
          if (p[pi] === ch) found = true;
        } else if (b === CLOSE && left > 0) {
          break;
        } else if (left === 0) {
          pi--; // the unterminated class ends with the pattern
          break;
        } else if (left >= 3 && p[pi + 1] === DASH) {
          let start = sc(b);
          let end = sc(p[pi + 2]!);
          let x = sc(ch);
          if (start > end) {
            const t = start;
            start = end;
            end = t;
          }
          if (nocase) {
            start = lower(start);
            end = lower(end);
            x = lower(x);
          }
          pi += 2;
          if (x >= start && x <= end) found = true;
        } else if (nocase ? lower(b) === lower(ch) : b === ch) {
          found = true;
        }
        pi++;
      }
      if (not) found = !found;
      if (!found) return SEG_FAIL;
      si++;
    } else {
      let lit = c;
      if (c === BACKSLASH && plen - pi >= 2) {
        pi++;
        lit = p[pi]!;
      }
      if (nocase ? lower(lit) !== lower(s[si]!) : lit !== s[si]) return SEG_FAIL;
      si++;
    }
    pi++;
    if (si === slen) {
      while (pi < plen && p[pi] === STAR) pi++;
      break;
    }
  }
  return pi === plen && si === slen ? SEG_MATCH : SEG_FAIL;
}

/**
 * Whether `str` matches the glob `pattern` (both raw bytes), exactly as
 * stringmatchlen(pattern, str, nocase) answers in Redis 7.0.
 */
export function globMatch(pattern: Uint8Array, str: Uint8Array, nocase = false, stats?: GlobStats): boolean {
  const plen = pattern.length;
  const slen = str.length;
  segSteps = 0;
  let pi = 0;
  let si = 0;
  // The innermost star: pattern index after it, and the last string position tried.
  let starNext = -1;
  let starS = 0;
  let result: boolean;
  for (;;) {
    const r = runSegment(pattern, pi, str, si, nocase);
    if (r === SEG_MATCH) {
      result = true;
      break;
    }
    if (r === SEG_FAIL) {
      // Try the rest after the innermost star one string byte later (the star's loop runs
      // while stringLen > 0).
      if (starNext < 0 || ++starS >= slen) {
        result = false;
        break;
      }
      pi = starNext;
      si = starS;
      continue;
    }
    // A star at r: collapse a run of stars; a trailing star matches whatever is left.
    let q = segStarP;
    while (q + 1 < plen && pattern[q + 1] === STAR) q++;
    if (q + 1 === plen) {
      result = true;
      break;
    }
    // This star decides the whole match (skipLongerMatches): the earlier one is dropped.
    starNext = q + 1;
    starS = segStarS;
    pi = starNext;
    si = starS;
  }
  if (stats) stats.steps += segSteps;
  return result;
}

/**
 * A compiled pattern for KEYS / SCAN MATCH: the lone `*` matches every key (including the
 * empty one, as keysCommand's `allkeys` and scanGenericCommand's `use_pattern` do), plain
 * keys and `prefix*` get fast paths, everything else goes through globMatch.
 */
export function compileGlob(pattern: Uint8Array, nocase = false): (key: Uint8Array) => boolean {
  if (pattern.length === 1 && pattern[0] === STAR) return () => true;
  const p = Buffer.from(pattern);
  if (nocase) return (key) => globMatch(p, key, true);
  let special = -1;
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === STAR || c === QUESTION || c === OPEN || c === BACKSLASH) {
      special = i;
      break;
    }
  }
  if (special < 0) return (key) => p.equals(key);
  if (special === p.length - 1 && p[special] === STAR && special > 0) {
    // `prefix*`: the prefix must match exactly and be followed by anything (even nothing).
    const prefix = p.subarray(0, special);
    return (key) => key.length >= prefix.length && prefix.equals(key.subarray(0, prefix.length));
  }
  return (key) => globMatch(p, key);
}

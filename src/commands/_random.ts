/**
 * SRANDMEMBER / HRANDFIELD count handling (srandmemberWithCountCommand, t_set.c;
 * hrandfieldWithCountCommand, t_hash.c, 7.0): the count's range, and the picks. Negative counts
 * repeat; a count at least the size returns everything in the collection's order; otherwise
 * distinct random elements. Which elements Redis picks is random there too: what is checkable
 * (counts, uniqueness, membership, the whole-collection order) is as Redis.
 */
import { ReplyError } from './errors.js';
import { argBigInt } from './_util.js';

/** getRangeLongFromObjectOrReply(-LONG_MAX, LONG_MAX) */
export function argRandomCount(b: Uint8Array): bigint {
  const v = argBigInt(b);
  // LLONG_MIN is the only int64 below -LONG_MAX
  if (v < -9223372036854775807n) throw new ReplyError('ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807');
  return v;
}

/**
 * A cap on what one reply may repeat: Redis streams such a reply until the client's output
 * limit closes it; rdblens refuses it rather than build an unbounded reply.
 */
export const MAX_REPEAT = 1 << 24;

/** indexes of the picks over n elements (n > 0, count > 0) */
export function pickIndexes(n: number, count: number, uniq: boolean, rand: () => number): number[] {
  const out: number[] = [];
  if (!uniq || count === 1) {
    if (count > MAX_REPEAT) throw new ReplyError('ERR count is too large for a reply');
    for (let i = 0; i < count; i++) out.push(Math.floor(rand() * n));
    return out;
  }
  if (count >= n) {
    for (let i = 0; i < n; i++) out.push(i);
    return out;
  }
  // distinct picks: a partial Fisher-Yates shuffle
  const idx = new Array<number>(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(rand() * (n - i));
    const t = idx[i]!;
    idx[i] = idx[j]!;
    idx[j] = t;
    out.push(idx[i]!);
  }
  return out;
}

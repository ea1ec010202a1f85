/**
 * Expiry: the table position over the TTL buckets, and where a bucket's keys start in the
 * keys-by-TTL order (Enter jumps there in Top keys).
 */
import type { ExpiryTally } from '../../data/expiry.js';
import { bucketOf, EXPIRED, NO_TTL } from '../../data/expiry.js';
import type { KeyIndex } from '../../data/key-index.js';
import { useTableState, type TableHandle } from '../table/index.js';

export function useExpiryState(tally: ExpiryTally, pageSize: number): TableHandle {
  return useTableState({ total: tally.keys.length, pageSize });
}

/**
 * The row in the keys-by-TTL order (soonest first, no TTL last) of the first key of a bucket:
 * a binary search, the order being sorted by expiry to the second.
 */
export function firstRowOfBucket(order: Uint32Array, index: KeyIndex, bucket: number, now: number): number {
  const rank = (b: number): number => (b === NO_TTL ? Number.MAX_SAFE_INTEGER : b === EXPIRED ? -1 : b);
  const want = rank(bucket);
  let lo = 0;
  let hi = order.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (rank(bucketOf(index.expireOf(order[mid]!), now)) < want) lo = mid + 1;
    else hi = mid;
  }
  return Math.min(lo, Math.max(0, order.length - 1));
}

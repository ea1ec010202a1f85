/**
 * The TTL distribution: keys and bytes by time left before expiry, relative to a reference time.
 * Finer than the report's buckets (src/memory/aggregate.ts TTL_BUCKETS), and computed from the
 * keyspace so that it can follow the explorer's filter.
 */

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

export interface ExpiryBucket {
  label: string;
  keys: number;
  bytes: number;
}

/** Upper bounds (exclusive) of the time left, after the 'no TTL' and 'expired' buckets. */
export const EXPIRY_BOUNDS: readonly { label: string; below: number }[] = [
  { label: '< 1 minute', below: MIN },
  { label: '< 10 minutes', below: 10 * MIN },
  { label: '< 1 hour', below: HOUR },
  { label: '< 6 hours', below: 6 * HOUR },
  { label: '< 1 day', below: DAY },
  { label: '< 7 days', below: 7 * DAY },
  { label: '< 30 days', below: 30 * DAY },
  { label: '< 90 days', below: 90 * DAY },
  { label: '< 1 year', below: 365 * DAY },
  { label: '1 year or more', below: Infinity },
];

export const NO_TTL = 0;
export const EXPIRED = 1;

/** Accumulates keys into the buckets: `no TTL`, `expired`, then EXPIRY_BOUNDS in order. */
export class ExpiryTally {
  readonly keys: Float64Array;
  readonly bytes: Float64Array;

  constructor(readonly now: number) {
    this.keys = new Float64Array(2 + EXPIRY_BOUNDS.length);
    this.bytes = new Float64Array(2 + EXPIRY_BOUNDS.length);
  }

  add(expireAt: number, bytes: number): void {
    const b = bucketOf(expireAt, this.now);
    this.keys[b]!++;
    this.bytes[b]! += Math.max(0, bytes);
  }

  buckets(): ExpiryBucket[] {
    const labels = ['no TTL', 'already expired', ...EXPIRY_BOUNDS.map((x) => x.label)];
    return labels.map((label, i) => ({ label, keys: this.keys[i]!, bytes: this.bytes[i]! }));
  }
}

/** Bucket index of an expiry time. */
export function bucketOf(expireAt: number, now: number): number {
  if (expireAt < 0) return NO_TTL;
  const left = expireAt - now;
  if (left <= 0) return EXPIRED;
  let i = 0;
  while (left >= EXPIRY_BOUNDS[i]!.below) i++;
  return 2 + i;
}

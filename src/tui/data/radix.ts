/**
 * Sorting a million ids by a 32-bit key without a comparator: an LSD radix sort in two 16-bit
 * passes (stable, O(n)). Array.prototype.sort with a comparator over 2M ids takes about a
 * second; this takes a few tens of milliseconds, and radixSortSteps cuts it into steps of a
 * bounded amount of work so that a caller can give the event loop its turn between them.
 */

/** Work buffers of at least n entries, reusable from one sort to the next. */
export interface RadixScratch {
  ids: Uint32Array;
  keys: Uint32Array;
}

export function radixScratch(n: number): RadixScratch {
  return { ids: new Uint32Array(n), keys: new Uint32Array(n) };
}

/** Elements per step of radixSortSteps: well under a millisecond of work. */
export const RADIX_STEP = 1 << 16;

/**
 * Sort `ids` in place by `keys` ascending (keys[i] belongs to ids[i]), stable: equal keys keep
 * their order. `keys` is left as it is. Returns `ids`.
 */
export function radixSortIds(ids: Uint32Array, keys: Uint32Array, scratch: RadixScratch = radixScratch(ids.length)): Uint32Array {
  const steps = radixSortSteps(ids, keys, ids, scratch, Infinity);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/**
 * The sort of `ids` by `keys` (as radixSortIds) written to `out` (ids.length entries; may be
 * `ids` itself), in steps of about `step` elements of work: each `next()` does one. `ids` is
 * left as it is unless it is `out`, `keys` always; `scratch` must not be touched until it is
 * done. Returns `out`.
 */
export function* radixSortSteps(
  ids: Uint32Array,
  keys: Uint32Array,
  out: Uint32Array,
  scratch: RadixScratch,
  step = RADIX_STEP,
): Generator<void, Uint32Array, void> {
  const n = ids.length;
  // both digits' histograms in one read of the keys
  const lo = new Uint32Array(65536);
  const hi = new Uint32Array(65536);
  for (let at = 0; at < n; at += step) {
    const end = Math.min(n, at + step);
    for (let i = at; i < end; i++) {
      const k = keys[i]!;
      lo[k & 0xffff]!++;
      hi[k >>> 16]!++;
    }
    yield;
  }
  // a digit that is the same for every key (common for the high half) needs no pass
  const passes: [number, Uint32Array][] = [];
  if (!singleDigit(lo, n)) passes.push([0, lo]);
  if (!singleDigit(hi, n)) passes.push([16, hi]);
  let srcIds = ids;
  let srcKeys = keys;
  for (const [p, [shift, counts]] of passes.entries()) {
    const last = p === passes.length - 1;
    // the last pass writes the result, unless that would overwrite its own input
    const dstIds = last && out !== srcIds ? out : scratch.ids;
    const dstKeys = scratch.keys;
    let sum = 0;
    for (let d = 0; d < 65536; d++) {
      const c = counts[d]!;
      counts[d] = sum;
      sum += c;
    }
    for (let at = 0; at < n; at += step) {
      const end = Math.min(n, at + step);
      if (last) {
        for (let i = at; i < end; i++) dstIds[counts[(srcKeys[i]! >>> shift) & 0xffff]!++] = srcIds[i]!;
      } else {
        for (let i = at; i < end; i++) {
          const k = srcKeys[i]!;
          const to = counts[(k >>> shift) & 0xffff]!++;
          dstIds[to] = srcIds[i]!;
          dstKeys[to] = k;
        }
      }
      yield;
    }
    srcIds = dstIds;
    srcKeys = dstKeys;
  }
  if (srcIds !== out) {
    for (let at = 0; at < n; at += step) {
      const end = Math.min(n, at + step);
      out.set(srcIds.subarray(at, end), at);
      yield;
    }
  }
  return out;
}

/** Whether every one of the n keys counted has the same digit. */
function singleDigit(counts: Uint32Array, n: number): boolean {
  for (let d = 0; d < 65536; d++) {
    const c = counts[d]!;
    if (c !== 0) return c === n;
  }
  return true;
}

/**
 * pqsort (pqsort.c, 7.0): Bentley & McIlroy's quicksort that only finishes the partitions
 * overlapping [lrange, rrange]. Redis uses it when a reply needs only the first N elements
 * (GEOSEARCH … COUNT, SORT … LIMIT); it is not stable, so equal elements come out in the
 * order this exact algorithm leaves them, which is what we mirror (indices instead of bytes).
 */

type Cmp<T> = (a: T, b: T) => number;

function med3<T>(arr: T[], a: number, b: number, c: number, cmp: Cmp<T>): number {
  return cmp(arr[a]!, arr[b]!) < 0
    ? cmp(arr[b]!, arr[c]!) < 0
      ? b
      : cmp(arr[a]!, arr[c]!) < 0
        ? c
        : a
    : cmp(arr[b]!, arr[c]!) > 0
      ? b
      : cmp(arr[a]!, arr[c]!) < 0
        ? a
        : c;
}

function swap<T>(arr: T[], i: number, j: number): void {
  const t = arr[i]!;
  arr[i] = arr[j]!;
  arr[j] = t;
}

function vecswap<T>(arr: T[], i: number, j: number, n: number): void {
  for (let k = 0; k < n; k++) swap(arr, i + k, j + k);
}

/**
 * Sort `arr` in place so that positions lrange..rrange (inclusive) hold what a full sort
 * would put there, exactly as pqsort(arr, n, es, cmp, lrange, rrange) arranges them.
 */
export function pqsort<T>(arr: T[], cmp: Cmp<T>, lrange: number, rrange: number): void {
  sortRange(arr, 0, arr.length, cmp, lrange, rrange);
}

function sortRange<T>(arr: T[], a: number, n: number, cmp: Cmp<T>, lrange: number, rrange: number): void {
  for (;;) {
    if (n < 7) {
      for (let pm = a + 1; pm < a + n; pm++) {
        for (let pl = pm; pl > a && cmp(arr[pl - 1]!, arr[pl]!) > 0; pl--) swap(arr, pl, pl - 1);
      }
      return;
    }
    let pm = a + Math.floor(n / 2);
    if (n > 7) {
      let pl = a;
      let pn = a + n - 1;
      if (n > 40) {
        const d = Math.floor(n / 8);
        pl = med3(arr, pl, pl + d, pl + 2 * d, cmp);
        pm = med3(arr, pm - d, pm, pm + d, cmp);
        pn = med3(arr, pn - 2 * d, pn - d, pn, cmp);
      }
      pm = med3(arr, pl, pm, pn, cmp);
    }
    swap(arr, a, pm);
    let pa = a + 1;
    let pb = pa;
    let pc = a + n - 1;
    let pd = pc;
    for (;;) {
      let r: number;
      while (pb <= pc && (r = cmp(arr[pb]!, arr[a]!)) <= 0) {
        if (r === 0) {
          swap(arr, pa, pb);
          pa++;
        }
        pb++;
      }
      while (pb <= pc && (r = cmp(arr[pc]!, arr[a]!)) >= 0) {
        if (r === 0) {
          swap(arr, pc, pd);
          pd--;
        }
        pc--;
      }
      if (pb > pc) break;
      swap(arr, pb, pc);
      pb++;
      pc--;
    }
    const pn = a + n;
    let r = Math.min(pa - a, pb - pa);
    vecswap(arr, a, pb - r, r);
    r = Math.min(pd - pc, pn - pd - 1);
    vecswap(arr, pb, pn - r, r);
    // Byte ranges in C: [l, l + r*es - 1] overlaps [lrange*es, (rrange+1)*es - 1] iff the
    // element ranges [l, l + r - 1] and [lrange, rrange] overlap.
    if ((r = pb - pa) > 1) {
      const l = a;
      const rr = a + r - 1;
      if (!((lrange < l && rrange < l) || (lrange > rr && rrange > rr))) sortRange(arr, a, r, cmp, lrange, rrange);
    }
    if ((r = pd - pc) > 1) {
      a = pn - r;
      n = r;
      const l = a;
      const rr = a + r - 1;
      if (!((lrange < l && rrange < l) || (lrange > rr && rrange > rr))) continue;
    }
    return;
  }
}

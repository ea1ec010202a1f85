/** Small helpers over the tests' seeded PRNG (test/helpers/rng.ts) for seeded differential tests. */
export { rng } from './rng.js';
/** An integer in [lo, hi]. */
export function randInt(r: () => number, lo: number, hi: number): number {
  return lo + Math.floor(r() * (hi - lo + 1));
}

/** One element of `xs`. */
export function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]!;
}

/** `n` bytes drawn from `alphabet`. */
export function randBytes(r: () => number, n: number, alphabet: readonly number[]): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = pick(r, alphabet);
  return b;
}

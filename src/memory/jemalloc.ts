/**
 * jemalloc 5.x size classes on 64-bit Linux (the allocator every modelled server uses): the
 * usable size malloc_usable_size/zmalloc_size reports for a request of n bytes.
 *
 * Classes: 8, then multiples of 16 up to 128, then four classes per power of two
 * (160, 192, 224, 256, 320, ...), the same spacing for large and huge sizes.
 */
export function mallocSize(n: number): number {
  if (n <= 8) return 8;
  if (n <= 128) return (n + 15) & ~15;
  // four classes between 2^k and 2^(k+1): spacing 2^(k-2)
  const lg = 31 - Math.clz32(n - 1); // floor(log2(n - 1)), n - 1 >= 128
  if (lg >= 31) return largeClass(n);
  const delta = 1 << (lg - 2);
  return Math.ceil(n / delta) * delta;
}

function largeClass(n: number): number {
  const lg = Math.floor(Math.log2(n - 1));
  const delta = 2 ** (lg - 2);
  return Math.ceil(n / delta) * delta;
}

/**
 * The same for a jemalloc configured with --with-lg-quantum=3, as Redis and Valkey build their
 * bundled copy (deps/Makefile): below 64 bytes the classes are 8 bytes apart (24, 40, 56 exist).
 * Distribution packages that link the system jemalloc (16-byte quantum) match `mallocSize`.
 */
export function mallocSizeQuantum8(n: number): number {
  if (n <= 64) return n <= 8 ? 8 : (n + 7) & ~7;
  return mallocSize(n);
}

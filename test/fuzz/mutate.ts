/**
 * Deterministic mutations of a dump for fuzzing: bit flips, truncations, inflated length fields,
 * random byte runs. Each case is reproducible from (file, seed).
 */
import { crc64 } from '../../src/rdb/crc64.js';

export function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    // xorshift32
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x100000000;
  };
}

export interface Mutation {
  bytes: Buffer;
  what: string;
}

export function mutate(input: Buffer, seed: number): Mutation {
  const rnd = prng(seed);
  const b = Buffer.from(input);
  const at = () => 9 + Math.floor(rnd() * Math.max(1, b.length - 9));
  const kind = Math.floor(rnd() * 5);
  let what: string;
  let out: Buffer = b;
  switch (kind) {
    case 0: {
      const n = 1 + Math.floor(rnd() * 4);
      const spots: number[] = [];
      for (let i = 0; i < n; i++) {
        const p = at();
        b[p]! ^= 1 << Math.floor(rnd() * 8);
        spots.push(p);
      }
      what = `bit flips at ${spots.join(',')}`;
      break;
    }
    case 1: {
      const n = Math.floor(rnd() * b.length);
      out = b.subarray(0, n);
      what = `truncated to ${n} bytes`;
      break;
    }
    case 2: {
      // a 32-bit or 64-bit length where a length byte was
      const p = at();
      const big = rnd() < 0.5 ? Buffer.from([0x80, 0xff, 0xff, 0xff, 0xf0]) : Buffer.from([0x81, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
      out = Buffer.concat([b.subarray(0, p), big, b.subarray(p + 1)]);
      what = `inflated length at ${p}`;
      break;
    }
    case 3: {
      const p = at();
      const n = 1 + Math.floor(rnd() * 16);
      for (let i = p; i < Math.min(b.length, p + n); i++) b[i] = Math.floor(rnd() * 256);
      what = `${n} random bytes at ${p}`;
      break;
    }
    default: {
      const p = at();
      b[p] = [0x00, 0x3f, 0x40, 0x7f, 0xc3, 0xfe, 0xff][Math.floor(rnd() * 7)]!;
      what = `boundary byte at ${p}`;
    }
  }
  // half the cases get a valid CRC again so that the damage, not the checksum, is what fails
  if (rnd() < 0.5 && out.length > 17 && out[out.length - 9] === 0xff) {
    const sum = crc64(out.subarray(0, out.length - 8));
    out = Buffer.from(out);
    out.writeBigUInt64LE(sum, out.length - 8);
    what += ', CRC recomputed';
  }
  return { bytes: out, what };
}

/**
 * The seeded random command sequence of the differential test (bounded key names, so keys grow
 * across the encoding thresholds).
 */
export class Rng {
  constructor(private s: number) {}
  next(): number {
    let t = (this.s += 0x6d2b79f5);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(a: readonly T[]): T {
    return a[this.int(a.length)]!;
  }
}

const FAR = Date.UTC(2040, 0, 1);

function element(r: Rng): string {
  switch (r.int(6)) {
    case 0:
      return String(r.int(100));
    case 1:
      return String(r.int(100000) - 50000);
    case 2:
      return String(r.int(2 ** 31) * 1000);
    case 3:
      return 'e' + 'x'.repeat(r.int(70));
    default:
      return 'v' + r.int(5000);
  }
}

function intMember(r: Rng): string {
  return r.pick([String(r.int(1000)), String(r.int(70000) - 35000), String(r.int(2 ** 31) * 7), String(r.int(1e6))]);
}

/** one random command; names are bounded so keys grow across thresholds */
export function nextCommand(r: Rng, streamIds: Map<string, number>): string[] {
  const sk = `s:${r.int(12)}`;
  const lk = `l:${r.int(6)}`;
  const hk = `h:${r.int(6)}`;
  const tk = `t:${r.int(6)}`;
  const zk = `z:${r.int(6)}`;
  const xk = `x:${r.int(3)}`;
  const any = r.pick([sk, lk, hk, tk, zk, xk]);
  const n = (k: number): number => 1 + r.int(k);
  switch (r.int(44)) {
    case 0: {
      const args = ['SET', sk, r.int(3) === 0 ? String(r.int(100000)) : 'x'.repeat(r.int(120))];
      const o = r.int(8);
      if (o === 1) args.push('EXAT', String(Math.floor(FAR / 1000) + r.int(1000)));
      if (o === 2) args.push('PXAT', String(FAR + r.int(100000)));
      if (o === 3) args.push('NX');
      if (o === 4) args.push('XX', 'GET');
      if (o === 5) args.push('KEEPTTL');
      if (o === 6) args.push('GET');
      return args;
    }
    case 1:
      return ['GETSET', sk, String(r.int(1000))];
    case 2:
      return ['APPEND', sk, 'y'.repeat(r.int(40))];
    case 3:
      return ['INCR', sk];
    case 4:
      return ['INCRBY', sk, String(r.int(2000) - 1000)];
    case 5:
      return ['DECR', sk];
    case 6:
      return ['MSET', sk, 'm' + r.int(10), `s:${r.int(12)}`, String(r.int(50))];
    case 7:
      return r.int(3) === 0 ? ['DEL', any] : ['UNLINK', sk];
    case 8:
      return ['EXPIREAT', any, String(Math.floor(FAR / 1000) + r.int(5000)), ...(r.int(4) === 0 ? [r.pick(['NX', 'XX', 'GT', 'LT'])] : [])];
    case 9:
      return ['PEXPIREAT', any, String(FAR + r.int(5000000))];
    case 10:
      return ['PERSIST', any];
    case 11:
      return r.int(4) === 0 ? ['RENAME', sk, `s:${r.int(12)}`] : ['RENAME', 'nokey', sk];
    case 12:
    case 13: {
      const cmd = r.int(2) ? 'LPUSH' : 'RPUSH';
      const args = [cmd, lk];
      const k = r.int(4) === 0 ? 200 + r.int(400) : n(20);
      const big = r.int(30) === 0;
      for (let i = 0; i < k; i++) args.push(big ? 'B'.repeat(9000) : element(r));
      return args;
    }
    case 14:
      return [r.int(2) ? 'LPOP' : 'RPOP', lk, ...(r.int(2) ? [String(r.int(50))] : [])];
    case 15:
      return ['LTRIM', lk, String(r.int(20)), String(-1 - r.int(50))];
    case 16:
    case 17: {
      const args = ['SADD', tk];
      const ints = r.int(3) !== 0;
      const k = r.int(5) === 0 ? 100 + r.int(300) : n(10);
      for (let i = 0; i < k; i++) args.push(ints ? intMember(r) : element(r));
      return args;
    }
    case 18: {
      const args = ['SREM', tk];
      for (let i = 0; i < n(30); i++) args.push(intMember(r));
      return args;
    }
    case 19:
      return ['SPOP', tk, '100000'];
    case 20:
    case 21: {
      const args = ['HSET', hk];
      const k = r.int(5) === 0 ? 100 + r.int(200) : n(8);
      for (let i = 0; i < k; i++) args.push('f' + r.int(900), r.int(25) === 0 ? 'w'.repeat(80) : element(r));
      return args;
    }
    case 22: {
      const args = ['HDEL', hk];
      for (let i = 0; i < n(40); i++) args.push('f' + r.int(900));
      return args;
    }
    case 23:
      return ['HINCRBY', hk, 'f' + r.int(900), String(r.int(100))];
    case 24:
    case 25: {
      const args = ['ZADD', zk];
      const o = r.int(10);
      if (o === 1) args.push('NX');
      if (o === 2) args.push('XX', 'CH');
      if (o === 3) args.push('GT');
      const k = r.int(5) === 0 ? 50 + r.int(100) : n(8);
      for (let i = 0; i < k; i++) {
        const score = r.int(3) === 0 ? String(r.int(1000)) : (r.next() * 1000 - 500).toFixed(r.int(4));
        args.push(score, r.int(40) === 0 ? 'm'.repeat(70) : 'm' + r.int(600));
      }
      return args;
    }
    case 26: {
      const args = ['ZREM', zk];
      for (let i = 0; i < n(30); i++) args.push('m' + r.int(600));
      return args;
    }
    case 27:
      return ['ZINCRBY', zk, String(r.int(10)), 'm' + r.int(600)];
    case 28: {
      const last = streamIds.get(xk) ?? 1000;
      const next = last + 1 + r.int(3);
      streamIds.set(xk, next);
      const args = ['XADD', xk];
      if (r.int(6) === 0) args.push('MAXLEN', String(50 + r.int(300)));
      args.push(`${next}-${r.int(3)}`);
      const same = r.int(4) !== 0;
      args.push(same ? 'a' : 'f' + r.int(5), element(r), same ? 'b' : 'g', String(r.int(1000)));
      return args;
    }
    case 29:
      return r.int(40) === 0 ? ['FLUSHDB'] : ['GET', sk];
    // reads
    case 30:
      return ['MGET', sk, `s:${r.int(12)}`, lk];
    case 31:
      return [r.pick(['STRLEN', 'LLEN', 'HLEN', 'SCARD', 'ZCARD', 'XLEN', 'TYPE', 'EXISTS']), any];
    case 32:
      return ['LRANGE', lk, String(r.int(30) - 10), String(r.int(60) - 20)];
    case 33:
      return ['LINDEX', lk, String(r.int(100) - 50)];
    case 34:
      return r.int(2) ? ['HGET', hk, 'f' + r.int(900)] : ['HMGET', hk, 'f' + r.int(900), 'f' + r.int(900)];
    case 35:
      return ['HGETALL', hk];
    case 36:
      return r.int(2) ? ['SMEMBERS', tk] : ['SISMEMBER', tk, intMember(r)];
    case 37:
      return ['ZRANGE', zk, String(r.int(10)), String(r.int(40) - 5), 'WITHSCORES'];
    case 38:
      return ['ZSCORE', zk, 'm' + r.int(600)];
    case 39:
      return ['XRANGE', xk, '-', '+', 'COUNT', String(r.int(20))];
    case 40:
      return [r.pick(['TTL', 'PTTL', 'EXPIRETIME', 'PEXPIRETIME']), any];
    case 41:
      return ['OBJECT', 'ENCODING', any];
    case 42:
      return ['DBSIZE'];
    default:
      return ['MEMORY', 'USAGE', any, 'SAMPLES', '0'];
  }
}


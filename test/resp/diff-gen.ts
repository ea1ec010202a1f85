/**
 * The seeded random command sequence of the differential test (bounded key names, so keys grow
 * across the encoding thresholds).
 */
import { rng } from '../helpers/rng.js';

export class Rng {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = rng(seed);
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
  const yk = `zl:${r.int(4)}`;
  const any = r.pick([sk, lk, hk, tk, zk, xk]);
  const key = (p: string, n: number): string => `${p}:${r.int(n)}`;
  const n = (k: number): number => 1 + r.int(k);
  if (r.int(5) === 0) return nextListZsetStream(r, { sk, lk, zk, xk, yk, any }, key, n);
  switch (r.int(90)) {
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
      for (let i = 0; i < k; i++) args.push(big ? 'B'.repeat(9000) : listElem(r));
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
      else if (r.int(8) === 0) args.push('MINID', ...(r.int(2) ? [r.pick(['=', '~'])] : []), `${last - r.int(60)}-0`, ...(r.int(10) === 0 ? ['LIMIT', '5'] : []));
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
    case 43:
    case 44:
    case 45:
      return ['MEMORY', 'USAGE', any, 'SAMPLES', '0'];
    // ------------------------------------------------ commands a primary propagates
    case 46:
      return [r.pick(['ZPOPMIN', 'ZPOPMAX']), r.int(10) === 0 ? any : zk, ...(r.int(3) ? [String(r.int(12))] : r.int(8) === 0 ? [r.pick(['-1', 'x', '1 2'])] : [])];
    case 47:
      return ['LREM', r.int(10) === 0 ? any : lk, r.int(15) === 0 ? 'x' : String(r.int(7) - 3), listElem(r)];
    case 48:
      return ['LSET', r.int(15) === 0 ? any : lk, String(r.int(80) - 40), r.int(25) === 0 ? 'B'.repeat(9000) : listElem(r)];
    case 49:
    case 50:
      return ['LINSERT', r.int(15) === 0 ? any : lk, r.int(20) === 0 ? 'MIDDLE' : r.pick(['BEFORE', 'AFTER']), listElem(r), r.int(20) === 0 ? 'B'.repeat(9000) : listElem(r)];
    case 51:
      return r.int(3) === 0 ? ['RPOPLPUSH', lk, r.int(10) === 0 ? any : key('l', 6)] : ['LMOVE', lk, key('l', 6), r.pick(['LEFT', 'RIGHT', 'left']), r.int(20) === 0 ? 'UP' : r.pick(['LEFT', 'RIGHT'])];
    case 52: {
      const args = [r.pick(['LPUSHX', 'RPUSHX']), lk];
      for (let i = 0; i < n(5); i++) args.push(listElem(r));
      return args;
    }
    case 53:
      return ['SMOVE', tk, r.int(10) === 0 ? any : key('t', 6), r.int(2) ? intMember(r) : element(r)];
    case 54:
      return ['HSETNX', hk, 'f' + r.int(900), r.int(25) === 0 ? 'w'.repeat(80) : element(r)];
    case 55: {
      const args = ['MSETNX'];
      for (let i = 0; i < n(3); i++) args.push(key('s', 40), String(r.int(1000)));
      return args;
    }
    case 56:
      return ['SETRANGE', r.int(10) === 0 ? any : sk, r.int(20) === 0 ? '-1' : String(r.int(r.int(4) === 0 ? 300 : 40)), r.pick(['', 'r', 'rr' + r.int(99), 'R'.repeat(r.int(60))])];
    case 57:
      return ['RENAMENX', r.int(5) === 0 ? 'nokey' : sk, key('s', 12)];
    case 58:
      return ['GETDEL', r.int(8) === 0 ? any : sk];
    case 59: {
      const o = r.int(8);
      const opt = [[], ['PERSIST'], ['EX', String(1000 + r.int(1000))], ['PX', String(1000000 + r.int(1000))], ['EXAT', String(Math.floor(FAR / 1000) + r.int(1000))], ['PXAT', String(FAR + r.int(100000))], ['EXAT', '1'], [r.pick(['EX', 'PX']), r.pick(['0', '-5', 'x'])]][o]!;
      return ['GETEX', r.int(8) === 0 ? any : sk, ...opt, ...(r.int(30) === 0 ? ['PERSIST'] : [])];
    }
    case 60:
    case 61:
      return ['ZREMRANGEBYSCORE', r.int(12) === 0 ? any : zk, r.pick(['-inf', '(' + r.int(300), String(r.int(500) - 250), 'x']), r.pick(['+inf', '(' + (r.int(500) - 100), String(r.int(500) - 100)])];
    case 62:
      return ['ZREMRANGEBYRANK', r.int(12) === 0 ? any : zk, String(r.int(20) - 5), String(r.int(40) - 20)];
    case 63: {
      const a = lexBound(r);
      const b = lexBound(r);
      return ['ZREMRANGEBYLEX', yk, a, b];
    }
    case 64:
    case 65: {
      const args = ['ZADD', yk];
      const k = r.int(5) === 0 ? 100 + r.int(100) : n(8);
      for (let i = 0; i < k; i++) args.push('0', lexMember(r));
      return args;
    }
    case 66: {
      const last = streamIds.get(xk) ?? 1000;
      const args = ['XDEL', r.int(12) === 0 ? any : xk];
      for (let i = 0; i < n(4); i++) args.push(r.int(30) === 0 ? 'bad' : `${1000 + r.int(last - 999)}-${r.int(3)}`);
      return args;
    }
    case 67: {
      const last = streamIds.get(xk) ?? 1000;
      const args = ['XTRIM', r.int(15) === 0 ? any : xk];
      const approx = r.pick(['', '=', '~']);
      if (r.int(2)) args.push('MAXLEN', ...(approx ? [approx] : []), String(r.int(300)));
      else args.push('MINID', ...(approx ? [approx] : []), `${1000 + r.int(last - 999)}-${r.int(3)}`);
      if (r.int(4) === 0) args.push('LIMIT', String(r.int(300)));
      if (r.int(40) === 0) args.push('FOO');
      return args;
    }
    case 68:
      return ['INCRBYFLOAT', r.int(10) === 0 ? any : sk, r.int(20) === 0 ? r.pick(['abc', 'inf', '1e400', '-0', '0x1p3']) : (r.next() * 200 - 100).toFixed(r.int(6))];
    case 69:
      return ['HINCRBYFLOAT', r.int(10) === 0 ? any : hk, 'f' + r.int(900), r.int(20) === 0 ? r.pick(['abc', 'inf', '1e70', '2.5e-3']) : (r.next() * 200 - 100).toFixed(r.int(6))];
    case 70:
    case 71: {
      const args = [r.pick(['SINTERSTORE', 'SUNIONSTORE', 'SDIFFSTORE']), key('t', 6)];
      for (let i = 0; i < n(3); i++) args.push(r.int(15) === 0 ? any : key('t', 7));
      return args;
    }
    case 72:
    case 73: {
      const cmd = r.pick(['ZUNIONSTORE', 'ZINTERSTORE']);
      const k = n(3);
      const args = [cmd, zk, String(r.int(30) === 0 ? 0 : k)];
      for (let i = 0; i < k; i++) args.push(r.int(5) === 0 ? key('t', 6) : r.int(20) === 0 ? any : key('z', 7));
      if (r.int(3) === 0) {
        args.push('WEIGHTS');
        for (let i = 0; i < k; i++) args.push(r.pick(['1', '2', '-1', '0.5', '3.25', r.int(20) === 0 ? 'w' : '0']));
      }
      if (r.int(3) === 0) args.push('AGGREGATE', r.pick(['SUM', 'MIN', 'MAX', 'max', r.int(10) === 0 ? 'AVG' : 'SUM']));
      return args;
    }
    case 74: {
      const p = r.pick(['s', 'l', 'h', 't', 'z', 'x']);
      const args = ['COPY', `${p}:${r.int(6)}`, r.int(8) === 0 ? any : `${p}:${r.int(8)}`];
      if (r.int(2)) args.push('REPLACE');
      if (r.int(10) === 0) args.push('DB', r.pick(['1', '0', '99', 'x']));
      return args;
    }
    case 75:
      return r.int(30) === 0 ? ['SWAPDB', '0', r.pick(['1', '0', '99', 'x'])] : ['MOVE', any, r.pick(['1', '1', '0', '99'])];
    case 76:
      return ['SETBIT', r.int(10) === 0 ? any : sk, r.int(20) === 0 ? '-1' : String(r.int(r.int(4) === 0 ? 3000 : 200)), r.int(20) === 0 ? '2' : String(r.int(2))];
    // reads over the new shapes
    case 77:
      return ['LRANGE', lk, '0', '-1'];
    case 78:
      return ['ZRANGE', r.int(2) ? yk : zk, '0', '-1', 'WITHSCORES'];
    case 79:
      return ['XRANGE', xk, '-', '+'];
    case 80:
      return [r.pick(['GET', 'STRLEN']), sk];
    case 81:
      return ['SMEMBERS', tk];
    case 82:
      return ['XINFO', 'STREAM', xk];
    case 83:
    case 84:
      return ['MEMORY', 'USAGE', r.pick([yk, lk, xk, sk]), 'SAMPLES', '0'];
    case 85:
      return ['OBJECT', 'ENCODING', r.pick([yk, lk, tk, zk])];
    default:
      return ['MEMORY', 'USAGE', any, 'SAMPLES', '0'];
  }
}

/** list elements from a small domain as well, so LREM, LSET and LINSERT find them */
function listElem(r: Rng): string {
  return r.int(3) === 0 ? 'p' + r.int(8) : element(r);
}

function lexMember(r: Rng): string {
  return String.fromCharCode(97 + r.int(26)) + (r.int(2) ? String.fromCharCode(97 + r.int(26)) : '') + (r.int(30) === 0 ? 'L'.repeat(70) : '');
}

function lexBound(r: Rng): string {
  const k = r.int(12);
  if (k === 0) return '-';
  if (k === 1) return '+';
  if (k === 2) return 'x';
  return (r.int(2) ? '[' : '(') + lexMember(r);
}


function scoreBound(r: Rng): string {
  return r.pick(['-inf', '+inf', '(' + (r.int(300) - 50), String(r.int(500) - 250), String(r.int(20)), r.int(20) === 0 ? r.pick(['x', '(', '', 'nan', '1e400', ' 5', '0x10']) : String(r.int(40))]);
}

/** LPOS, LMPOP, the Z* reads and combinations, ZRANGESTORE, ZMPOP, XREVRANGE, XREAD (issue #12) */
function nextListZsetStream(
  r: Rng,
  k: { sk: string; lk: string; zk: string; xk: string; yk: string; any: string },
  key: (p: string, n: number) => string,
  n: (k: number) => number,
): string[] {
  const zany = (): string => (r.int(12) === 0 ? k.any : r.int(3) === 0 ? k.yk : r.int(6) === 0 ? `t:${r.int(6)}` : key('z', 6));
  switch (r.int(24)) {
    case 0: {
      const args = ['LPOS', r.int(12) === 0 ? k.any : k.lk, listElem(r)];
      if (r.int(2)) args.push('RANK', r.int(15) === 0 ? r.pick(['0', 'x']) : String(r.int(7) - 3 || 1));
      if (r.int(2)) args.push('COUNT', r.int(15) === 0 ? r.pick(['-1', 'y']) : String(r.int(5)));
      if (r.int(3) === 0) args.push('MAXLEN', r.int(15) === 0 ? '-2' : String(r.int(60)));
      if (r.int(30) === 0) args.push('BOGUS');
      return args;
    }
    case 1:
    case 2: {
      const keys = Array.from({ length: n(3) }, () => (r.int(10) === 0 ? k.any : key('l', 6)));
      const args = ['LMPOP', r.int(20) === 0 ? r.pick(['0', 'x']) : String(keys.length), ...keys, r.int(20) === 0 ? 'UP' : r.pick(['LEFT', 'RIGHT', 'left'])];
      if (r.int(2)) args.push('COUNT', r.int(15) === 0 ? r.pick(['0', '-1']) : String(n(30)));
      return args;
    }
    case 3:
      return ['ZCOUNT', zany(), scoreBound(r), scoreBound(r)];
    case 4:
      return ['ZLEXCOUNT', k.yk, lexBound(r), lexBound(r)];
    case 5:
    case 6: {
      const cmd = r.pick(['ZRANGEBYSCORE', 'ZREVRANGEBYSCORE']);
      const args = [cmd, zany(), scoreBound(r), scoreBound(r)];
      if (r.int(2)) args.push('WITHSCORES');
      if (r.int(3) === 0) args.push('LIMIT', String(r.int(10) - 1), String(r.int(20) - 2));
      if (r.int(40) === 0) args.push('REV');
      return args;
    }
    case 7: {
      // lex ranges on zsets of mixed scores walk Redis's skiplist levels (random): equal scores only
      const args = [r.pick(['ZRANGEBYLEX', 'ZREVRANGEBYLEX']), r.int(10) === 0 ? r.pick([k.any, k.sk]) : k.yk, lexBound(r), lexBound(r)];
      if (r.int(3) === 0) args.push('LIMIT', String(r.int(10) - 1), String(r.int(20) - 2));
      if (r.int(40) === 0) args.push('WITHSCORES');
      return args;
    }
    case 8: {
      const t = r.int(3);
      const args = ['ZRANGE', zany()];
      if (t === 0) args.push(String(r.int(20) - 5), String(r.int(40) - 10));
      else if (t === 1) args.push(scoreBound(r), scoreBound(r), 'BYSCORE');
      else {
        args[1] = k.yk; // lex ranges: equal scores only (see ZRANGEBYLEX below)
        args.push(lexBound(r), lexBound(r), 'BYLEX');
      }
      if (r.int(2)) args.push('REV');
      if (r.int(3) === 0) args.push('LIMIT', String(r.int(5)), String(r.int(10) - 1));
      if (r.int(3) === 0) args.push('WITHSCORES');
      return args;
    }
    case 9:
    case 10: {
      const t = r.int(3);
      const args = ['ZRANGESTORE', r.int(8) === 0 ? k.any : key('z', 6), zany()];
      if (t === 0) args.push(String(r.int(20) - 5), String(r.int(300) - 10));
      else if (t === 1) args.push(scoreBound(r), scoreBound(r), 'BYSCORE');
      else {
        args[2] = k.yk; // lex ranges: equal scores only (see ZRANGEBYLEX below)
        args.push(lexBound(r), lexBound(r), 'BYLEX');
      }
      if (r.int(2)) args.push('REV');
      if (r.int(3) === 0) args.push('LIMIT', String(r.int(5)), String(r.int(200) - 1));
      if (r.int(30) === 0) args.push('WITHSCORES');
      return args;
    }
    case 11:
      return [r.pick(['ZRANK', 'ZREVRANK']), zany(), 'm' + r.int(600)];
    case 12: {
      const args = ['ZMSCORE', zany()];
      for (let i = 0; i < n(5); i++) args.push(r.int(2) ? 'm' + r.int(600) : lexMember(r));
      return args;
    }
    case 13:
    case 14:
    case 15: {
      const cmd = r.pick(['ZUNION', 'ZINTER', 'ZDIFF', 'ZDIFFSTORE', 'ZDIFFSTORE', 'ZINTERCARD']);
      const keys = Array.from({ length: n(3) }, () => zany());
      const args = [cmd, ...(cmd === 'ZDIFFSTORE' ? [key('z', 6)] : []), r.int(25) === 0 ? r.pick(['0', '9', 'x']) : String(keys.length), ...keys];
      if (cmd === 'ZUNION' || cmd === 'ZINTER') {
        if (r.int(3) === 0) args.push('WEIGHTS', ...keys.map(() => String(r.int(5) - 1)));
        if (r.int(3) === 0) args.push('AGGREGATE', r.pick(['SUM', 'MIN', 'MAX']));
      }
      if (cmd !== 'ZDIFFSTORE' && cmd !== 'ZINTERCARD' && r.int(2)) args.push('WITHSCORES');
      if (cmd === 'ZINTERCARD' && r.int(2)) args.push('LIMIT', r.int(10) === 0 ? '-1' : String(r.int(5)));
      if (r.int(30) === 0) args.push('WEIGHTS');
      return args;
    }
    case 16:
    case 17: {
      const keys = Array.from({ length: n(3) }, () => zany());
      const args = ['ZMPOP', r.int(20) === 0 ? r.pick(['0', 'x']) : String(keys.length), ...keys, r.int(20) === 0 ? 'UP' : r.pick(['MIN', 'MAX', 'max'])];
      if (r.int(2)) args.push('COUNT', r.int(15) === 0 ? r.pick(['0', '-1']) : String(n(20)));
      return args;
    }
    case 18: {
      const args = ['XREVRANGE', r.int(12) === 0 ? k.any : k.xk, r.pick(['+', '+', '99999999999999', String(1000 + r.int(200))]), r.pick(['-', '-', String(1000 + r.int(200)), '(1000'])];
      if (r.int(2)) args.push('COUNT', String(r.int(10)));
      return args;
    }
    case 19:
    case 20: {
      const keys = Array.from({ length: n(2) }, () => (r.int(12) === 0 ? k.any : key('x', 3)));
      const args = ['XREAD'];
      if (r.int(2)) args.push('COUNT', String(r.int(6)));
      if (r.int(30) === 0) args.push(r.pick(['NOACK', 'GROUP']));
      args.push('STREAMS', ...keys, ...keys.map(() => r.pick(['0', '0-0', '$', String(1000 + r.int(300)), `${1000 + r.int(300)}-${r.int(3)}`, r.int(10) === 0 ? r.pick(['-', '+', 'x', '>']) : '0'])));
      if (r.int(30) === 0) args.push('extra');
      return args;
    }
    case 21:
      return ['ZRANGE', zany(), '0', '-1', 'WITHSCORES'];
    case 22:
      return ['MEMORY', 'USAGE', key('z', 6), 'SAMPLES', '0'];
    default:
      return ['MEMORY', 'USAGE', r.pick([k.lk, k.yk, k.zk]), 'SAMPLES', '0'];
  }
}

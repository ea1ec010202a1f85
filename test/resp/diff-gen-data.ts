/**
 * Seeded random commands of issue #12's strings/bitmaps, HyperLogLog, hash, set and generic
 * families for test/resp/differential-data.test.ts: error cases included (wrong types, bad
 * arguments), keys bounded so values cross the encoding thresholds (HLL sparse → dense,
 * intset → hashtable, listpack → hashtable).
 */
import { Rng } from './diff-gen.js';

export { Rng };

/** commands whose reply is random on both sides: compared by shape (see the test) */
/**
 * (A SCAN cursor past 2^64 is left to test/commands/data-edges.test.ts: its strtoul leaves errno
 * at ERANGE in redis-server, which a later SORT then reports as a bad weight — a Redis quirk.)
 */
export const RANDOM_REPLY = new Set(['SRANDMEMBER', 'HRANDFIELD']);

const bitOffsets = (r: Rng): string => r.pick([String(r.int(64)), String(r.int(4000)), String(r.int(100000)), '-1', 'x', '4294967296']);

export function nextDataCommand(r: Rng): string[] {
  const bk = `b:${r.int(5)}`;
  const pk = `p:${r.int(4)}`;
  const tk = `t:${r.int(6)}`;
  const hk = `h:${r.int(4)}`;
  const any = r.pick([bk, pk, tk, hk, bk]);
  const idx = (): string => String(r.int(60) - 30);
  const lk = `l:${r.int(3)}`;
  const gk = `g:${r.int(3)}`;
  const lon = (): string => r.pick([String(r.int(3600) / 10 - 180), String(13 + r.int(1000) / 1000), '180', '-180', '181', 'x']);
  const lat = (): string => r.pick([String(r.int(1700) / 10 - 85), String(38 + r.int(1000) / 1000), '85.05112878', '86', 'nan']);
  const mem = (): string => 'g' + r.int(60);
  const unit = (): string => r.pick(['m', 'km', 'KM', 'ft', 'mi', 'yd']);
  const near = (): string[] => [String(13 + r.int(1000) / 1000), String(38 + r.int(1000) / 1000)];
  const searchOpts = (a: string[], store: boolean): void => {
    for (let k = r.int(4); k > 0; k--) {
      switch (r.int(9)) {
        case 0: a.push('WITHDIST'); break;
        case 1: a.push('WITHCOORD'); break;
        case 2: a.push('WITHHASH'); break;
        case 3: a.push('COUNT', r.pick(['1', '3', '10', '10', '2', '0', '-1'])); break;
        case 4: a.push('ANY'); break;
        case 5: a.push(r.pick(['ASC', 'DESC'])); break;
        case 6: if (store) a.push(r.pick(['STORE', 'STOREDIST']), `gs:${r.int(2)}`); break;
        case 7: a.push('COUNT', String(1 + r.int(5)), ...(r.int(2) ? ['ANY'] : [])); break;
        default: a.push(r.int(4) === 0 ? 'BOGUS' : 'ASC');
      }
    }
  };
  switch (r.int(70)) {
    case 0:
      return ['SET', bk, r.pick(['hello world', String(r.int(100000)), 'x'.repeat(r.int(60)), 'foobar'])];
    case 1:
      return ['SETBIT', bk, bitOffsets(r), r.pick(['0', '1', '1', '2'])];
    case 2:
      return ['SETRANGE', bk, r.pick([String(r.int(200)), '-1', '536870912']), 'ab'.repeat(r.int(10))];
    case 3:
      return [r.pick(['GETRANGE', 'SUBSTR']), any, idx(), idx()];
    case 4:
      return ['GETBIT', any, bitOffsets(r)];
    case 5: {
      const a = ['BITCOUNT', any];
      const k = r.int(4);
      if (k >= 1) a.push(idx(), idx());
      if (k === 2) a.push(r.pick(['BIT', 'BYTE', 'bit', 'WORD']));
      if (k === 3) a.push(String(r.int(9)));
      return a;
    }
    case 6: {
      const a = ['BITPOS', any, r.pick(['0', '1', '1', '2', 'x'])];
      const k = r.int(4);
      if (k >= 1) a.push(idx());
      if (k >= 2) a.push(idx());
      if (k === 3) a.push(r.pick(['BIT', 'BYTE', 'NOPE']));
      return a;
    }
    case 7:
    case 8: {
      const op = r.pick(['AND', 'OR', 'XOR', 'NOT', 'and', 'NAND']);
      const a = ['BITOP', op, `b:${r.int(5)}`];
      const k = op === 'NOT' && r.int(4) ? 1 : 1 + r.int(3);
      for (let i = 0; i < k; i++) a.push(r.int(8) === 0 ? any : `b:${r.int(5)}`);
      return a;
    }
    case 9:
    case 10: {
      const a = [r.int(5) === 0 ? 'BITFIELD_RO' : 'BITFIELD', r.int(8) === 0 ? any : bk];
      const k = r.int(4);
      for (let i = 0; i < k; i++) {
        const type = r.pick(['u8', 'i8', 'u16', 'i5', 'u63', 'i64', 'u64', 'x1']);
        const off = r.pick([String(r.int(200)), '#' + r.int(20), '-1']);
        switch (r.int(5)) {
          case 0:
            a.push('GET', type, off);
            break;
          case 1:
            a.push('SET', type, off, String(r.int(1000) - 300));
            break;
          case 2:
            a.push('INCRBY', type, off, String(r.int(600) - 300));
            break;
          case 3:
            a.push('OVERFLOW', r.pick(['WRAP', 'SAT', 'FAIL', 'BOGUS']));
            break;
          default:
            a.push('GET', type);
        }
      }
      return a;
    }
    case 11: {
      const a = ['LCS', r.pick([bk, any]), `b:${r.int(5)}`];
      const k = r.int(6);
      if (k === 1) a.push('LEN');
      if (k === 2) a.push('IDX');
      if (k === 3) a.push('IDX', 'MINMATCHLEN', String(r.int(4)), 'WITHMATCHLEN');
      if (k === 4) a.push('LEN', 'IDX');
      return a;
    }
    case 12:
    case 13:
    case 14: {
      const a = ['PFADD', r.int(10) === 0 ? any : pk];
      const k = r.int(5) === 0 ? 200 + r.int(2000) : r.int(12);
      const base = r.int(100000);
      for (let i = 0; i < k; i++) a.push(`e${base + i}`);
      return a;
    }
    case 15:
    case 16: {
      const a = ['PFCOUNT', r.int(10) === 0 ? any : pk];
      if (r.int(3) === 0) a.push(`p:${r.int(4)}`);
      return a;
    }
    case 17: {
      const a = ['PFMERGE', `p:${r.int(4)}`];
      for (let i = 0; i < r.int(3); i++) a.push(r.int(8) === 0 ? any : `p:${r.int(4)}`);
      return a;
    }
    case 18:
      return ['PFDEBUG', r.pick(['ENCODING', 'DECODE', 'TODENSE', 'NOPE']), r.int(6) === 0 ? any : pk];
    case 19:
    case 20: {
      const a = ['SADD', tk];
      const k = r.int(5) === 0 ? 100 + r.int(500) : 1 + r.int(10);
      const ints = r.int(3) !== 0;
      for (let i = 0; i < k; i++) a.push(ints ? String(r.int(800)) : 'm' + r.int(800));
      return a;
    }
    case 21:
      return ['SREM', tk, String(r.int(800)), String(r.int(800)), 'm' + r.int(800)];
    case 22: {
      const a = [r.pick(['SINTER', 'SUNION', 'SDIFF'])];
      for (let i = 0; i < 1 + r.int(3); i++) a.push(r.int(10) === 0 ? any : `t:${r.int(6)}`);
      return a;
    }
    case 23: {
      const a = [r.pick(['SINTERSTORE', 'SUNIONSTORE', 'SDIFFSTORE']), `t:${r.int(6)}`];
      for (let i = 0; i < 1 + r.int(3); i++) a.push(`t:${r.int(6)}`);
      return a;
    }
    case 24: {
      const nk = 1 + r.int(3);
      const a = ['SINTERCARD', r.pick([String(nk), String(nk), '0', '9', 'x'])];
      for (let i = 0; i < nk; i++) a.push(r.int(10) === 0 ? any : `t:${r.int(6)}`);
      if (r.int(3) === 0) a.push('LIMIT', r.pick(['0', '1', '5', '-1', 'x']));
      if (r.int(10) === 0) a.push('BOGUS');
      return a;
    }
    case 25:
      return ['SMISMEMBER', r.int(8) === 0 ? any : tk, String(r.int(800)), 'm' + r.int(800), String(r.int(50))];
    case 26:
      return ['SRANDMEMBER', r.int(8) === 0 ? any : tk, ...(r.int(4) ? [r.pick(['0', '1', '5', '-5', '1000', '-9223372036854775808', 'x'])] : [])];
    case 27:
    case 28: {
      const a = ['HSET', hk];
      const k = r.int(5) === 0 ? 100 + r.int(500) : 1 + r.int(8);
      for (let i = 0; i < k; i++) a.push('f' + r.int(700), r.int(20) === 0 ? 'w'.repeat(70) : 'v' + r.int(1000));
      return a;
    }
    case 29:
      return ['HSTRLEN', r.int(8) === 0 ? any : hk, 'f' + r.int(700)];
    case 30: {
      const a = ['HRANDFIELD', r.int(8) === 0 ? any : hk];
      if (r.int(4)) a.push(r.pick(['0', '1', '3', '-3', '10000', '-9223372036854775808', 'x']));
      if (a.length === 3 && r.int(2)) a.push(r.pick(['WITHVALUES', 'withvalues', 'NOPE']));
      return a;
    }
    case 31:
      return ['HDEL', hk, 'f' + r.int(700), 'f' + r.int(700)];
    case 32:
      return ['EXPIRE', any, r.pick(['-9223372036854776', '-9223372036854775', '9223372036854775', '9223372036854776', '100000', 'x'])];
    case 33:
      return ['PEXPIRE', any, r.pick(['9223372036854775807', '-9223372036854775808', '100000000'])];
    case 34:
      return ['SCAN', r.pick(['18446744073709551615', '-1', '0', 'x', ' 1', '+0', '-']), 'COUNT', '1000', 'MATCH', 'zz*'];
    case 35:
      return ['PING', ...(r.int(3) === 0 ? ['a', 'b'] : r.int(2) ? ['hi'] : [])];
    case 36:
      return ['TOUCH', any, `b:${r.int(5)}`, 'nokey'];
    case 37:
      return ['TYPE', any];
    case 38:
      return ['GET', r.pick([bk, pk])];
    case 39:
      return ['DEL', any];
    case 40:
      return ['OBJECT', 'ENCODING', any];
    case 41: {
      const a = ['RPUSH', lk];
      for (let i = 0; i < 1 + r.int(20); i++) a.push(r.int(3) ? String(r.int(100) - 20) : 'w' + r.int(30));
      return a;
    }
    case 42:
      return ['SET', `w_${r.int(30)}`, r.pick([String(r.int(100)), String(r.int(1000) / 10), 'abc', ''])];
    case 43:
      return ['HSET', `o_${r.int(30)}`, 'f', String(r.int(100)), 'g', 'n' + r.int(9)];
    case 44:
    case 45: {
      const a = [r.int(4) === 0 ? 'SORT_RO' : 'SORT', r.pick([lk, tk, lk, any])];
      if (r.int(3) === 0) a.push('BY', r.pick(['w_*', 'o_*->f', 'nosort', 'o_*->g']));
      if (r.int(3) === 0) a.push('LIMIT', String(r.int(8) - 1), String(r.int(8) - 1));
      for (let i = r.int(3); i > 0; i--) a.push('GET', r.pick(['#', 'w_*', 'o_*->g', 'o_*->']));
      if (r.int(2)) a.push(r.pick(['ASC', 'DESC']));
      if (r.int(2)) a.push('ALPHA');
      if (r.int(3) === 0) a.push('STORE', r.pick([`l:${r.int(3)}`, 'sorted']));
      if (r.int(25) === 0) a.push('BOGUS');
      return a;
    }
    case 46:
    case 47:
      return ['DUMP', any];
    case 56:
    case 57:
    case 58: {
      const a = ['GEOADD', r.int(12) === 0 ? any : gk];
      if (r.int(5) === 0) a.push(r.pick(['NX', 'XX', 'CH', 'NX', 'XX']));
      if (r.int(8) === 0) a.push('CH');
      const k = r.int(6) === 0 ? 100 + r.int(100) : 1 + r.int(6);
      for (let i = 0; i < k; i++) {
        if (r.int(30) === 0) a.push(lon(), lat(), mem());
        else a.push(...near(), mem());
      }
      if (r.int(30) === 0) a.push('extra');
      return a;
    }
    case 59:
      return ['GEOPOS', r.int(8) === 0 ? any : gk, mem(), mem(), 'nomember'];
    case 60:
      return ['GEOHASH', r.int(8) === 0 ? any : gk, mem(), mem()];
    case 61:
      return ['GEODIST', r.int(8) === 0 ? any : gk, mem(), mem(), ...(r.int(2) ? [unit()] : []), ...(r.int(20) === 0 ? ['x'] : [])];
    case 62:
    case 63: {
      const a = [r.pick(['GEORADIUS', 'GEORADIUS_RO']), r.int(10) === 0 ? any : gk, ...(r.int(15) === 0 ? [lon(), lat()] : near()), r.pick([String(r.int(200)), String(r.int(500) * 100), '-1', 'x']), unit()];
      searchOpts(a, a[0] === 'GEORADIUS');
      return a;
    }
    case 64:
    case 65: {
      const a = [r.pick(['GEORADIUSBYMEMBER', 'GEORADIUSBYMEMBER_RO']), r.int(10) === 0 ? any : gk, mem(), r.pick([String(r.int(200)), String(r.int(500) * 100), '-1']), unit()];
      searchOpts(a, a[0] === 'GEORADIUSBYMEMBER');
      return a;
    }
    case 66:
    case 67:
    case 68: {
      const store = r.int(3) === 0;
      const a = store ? ['GEOSEARCHSTORE', `gs:${r.int(2)}`, gk] : ['GEOSEARCH', r.int(10) === 0 ? any : gk];
      const from = r.int(8);
      if (from < 4) a.push('FROMMEMBER', mem());
      else if (from < 7) a.push('FROMLONLAT', ...near());
      else a.push('FROMMEMBER', mem(), 'FROMLONLAT', ...near());
      const by = r.int(8);
      if (by < 4) a.push('BYRADIUS', r.pick([String(r.int(200)), String(r.int(500) * 100), '-1']), unit());
      else if (by < 7) a.push('BYBOX', String(r.int(300)), r.pick([String(r.int(300)), '-2']), unit());
      searchOpts(a, false);
      if (store && r.int(2)) a.push('STOREDIST');
      return a;
    }
    default:
      return ['MEMORY', 'USAGE', r.pick([any, gk, `gs:${r.int(2)}`]), 'SAMPLES', '0'];
  }
}

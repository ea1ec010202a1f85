/**
 * server.dirty (INFO rdb_changes_since_last_save): how much each successful write adds, as
 * 7.0.15's commands do it (`server.dirty++` / `server.dirty += n` in t_*.c, db.c, expire.c,
 * bitops.c, hyperloglog.c, geo.c, sort.c, functions.c). Run by dispatch after a handler that
 * did not fail, as a table keyed by command name: `post` reads what the reply says (an
 * integer, a length, null or not) and, where the reply cannot tell, what `pre` saw before
 * the command. Commands whose handler alone knows the count (ZADD/GEOADD's added + updated,
 * BITFIELD's changes, PFADD's raised registers, PFCOUNT's cache write, FLUSHALL) add to `instance.dirty` themselves. Commands run
 * by EXEC and scripts go through dispatch one by one, so they are counted here as in call().
 */
import type { Context } from './context.js';
import { ReplyWriter, type ReplySink } from '../protocol/encoder.js';
import { is } from './_util.js';

interface Dirty {
  pre?(c: Context, argv: Buffer[]): number;
  /** `r`: the reply's head (see head()); `pre`: what pre returned (0 without one); the reply is in `w` from `mark` */
  post(c: Context, argv: Buffer[], r: number, pre: number, w: ReplySink, mark: number): number;
}

/** what a reply head can be besides a count */
const NULL = -1;
const OTHER = -2;

/**
 * The first line of the reply written since `mark`: an integer reply's value, an aggregate's
 * length, NULL for a null (RESP2 `$-1` / `*-1`, RESP3 `_`), OTHER for anything else. With
 * `skip` 1 the aggregate's first element (a bulk string: LMPOP's key) is skipped and the head
 * of the second is read.
 */
function head(w: ReplySink, mark: number, skip = 0): number {
  if (!(w instanceof ReplyWriter)) return OTHER;
  const b = w.buf;
  let p = mark;
  const end = w.pos;
  if (p >= end) return OTHER;
  if (skip) {
    const t = b[p];
    if (t !== 0x2a && t !== 0x25) return NULL; // not an array (a null)
    p = b.indexOf(0x0a, p) + 1; // past *2\r\n
    if (b[p] !== 0x24) return OTHER;
    let len = 0;
    for (let i = p + 1; b[i] !== 0x0d; i++) len = len * 10 + b[i]! - 48;
    p = b.indexOf(0x0a, p) + 1 + len + 2;
    if (p >= end) return OTHER;
  }
  const t = b[p];
  if (t === 0x5f) return NULL;
  if (t !== 0x3a && t !== 0x2a && t !== 0x7e && t !== 0x25 && t !== 0x24) return OTHER;
  let neg = false;
  let n = 0;
  let i = p + 1;
  if (b[i] === 0x2d) {
    neg = true;
    i++;
  }
  for (; i < end && b[i] !== 0x0d; i++) n = n * 10 + b[i]! - 48;
  if (t === 0x24) return neg ? NULL : OTHER;
  if (neg) return t === 0x3a ? -n : NULL;
  return n;
}

const one: Dirty = { post: () => 1 };
/** dirty += the integer reply (DEL, SADD, SREM, HDEL, ZREM, LREM, EXPIRE ... ) */
const replied: Dirty = { post: (_c, _a, r) => (r > 0 ? r : 0) };
/** dirty++ when the integer reply is positive (LINSERT, RENAMENX, MOVE, COPY, SETNX ...) */
const positive: Dirty = { post: (_c, _a, r) => (r > 0 ? 1 : 0) };
/** dirty++ when the reply is not a null (GETDEL, LMOVE, BLPOP, SPOP without count ...) */
const nonNull: Dirty = { post: (_c, _a, r) => (r === NULL ? 0 : 1) };
/** LPOP/RPOP/SPOP key [count]: 1, or the number of elements in the array */
const popped: Dirty = { post: (_c, argv, r) => (r === NULL ? 0 : argv.length > 2 ? Math.max(r, 0) : 1) };
/** LMPOP/ZMPOP and their blocking forms: [key, [elements]] */
const mpopped: Dirty = { post: (_c, _a, r, _p, w, mark) => (r === NULL ? 0 : Math.max(head(w, mark, 1), 0)) };
/** the length of a key before (elements; bytes for strings), -1 when absent */
function lengthOf(c: Context, key: Buffer): number {
  const id = c.db.find(key, true);
  return id < 0 ? -1 : c.db.ks.lengthOf(id);
}
/** a STORE that replies the stored count: 1 when something was stored or the old destination deleted */
function store(dst: (argv: Buffer[]) => Buffer | null, count = false): Dirty {
  return {
    pre: (c, argv) => {
      const k = dst(argv);
      return k !== null && c.db.find(k, true) >= 0 ? 1 : 0;
    },
    post: (_c, argv, r, existed) => (dst(argv) === null ? 0 : r > 0 ? (count ? r : 1) : existed),
  };
}
const dstArg1 = (argv: Buffer[]): Buffer => argv[1]!;
/** elements removed: the length before minus after (LTRIM, ZPOPMIN/MAX with a count) */
const shrunk: Dirty = {
  pre: (c, argv) => Math.max(lengthOf(c, argv[1]!), 0),
  post: (c, argv, _r, before) => before - Math.max(lengthOf(c, argv[1]!), 0),
};

/** the key argument after STORE / STOREDIST (GEORADIUS[BYMEMBER]) or STORE (SORT) */
function optionKey(from: number, names: string[]): (argv: Buffer[]) => Buffer | null {
  return (argv) => {
    for (let i = from; i + 1 < argv.length; i++) if (names.some((n) => is(argv[i]!, n))) return argv[i + 1]!;
    return null;
  };
}

const TABLE: Record<string, Dirty> = {
  // strings (t_string.c)
  set: {
    // only SET ... GET needs to know (a plain SET's reply tells)
    pre: (c, argv) => (argv.length > 3 && c.db.find(argv[1]!, true) >= 0 ? 1 : 0),
    post: (_c, argv, r, existed) => {
      if (r !== OTHER && r !== NULL) return 1;
      let nx = false;
      let xx = false;
      for (let i = 3; i < argv.length; i++) {
        if (is(argv[i]!, 'NX')) nx = true;
        else if (is(argv[i]!, 'XX')) xx = true;
      }
      return (nx && existed) || (xx && !existed) ? 0 : 1;
    },
  },
  setnx: positive,
  setex: one,
  psetex: one,
  getset: one,
  mset: { post: (_c, argv) => (argv.length - 1) / 2 },
  msetnx: { post: (_c, argv, r) => (r > 0 ? (argv.length - 1) / 2 : 0) },
  incr: one,
  decr: one,
  incrby: one,
  decrby: one,
  incrbyfloat: one,
  append: one,
  setrange: { post: (_c, argv) => (argv[3]!.length > 0 ? 1 : 0) },
  getdel: nonNull,
  getex: {
    pre: (c, argv) => {
      const id = c.db.find(argv[1]!, true);
      return id >= 0 && c.db.ks.expireOf(id) >= 0 ? 1 : 0;
    },
    post: (_c, argv, r, hadTtl) => {
      if (r === NULL || argv.length < 3) return 0;
      return is(argv[2]!, 'PERSIST') ? hadTtl : 1;
    },
  },
  // bitops.c
  setbit: {
    pre: (c, argv) => lengthOf(c, argv[1]!),
    post: (_c, argv, old, len) => {
      const off = Number(argv[2]!.toString('latin1'));
      const bit = argv[3]![0] === 0x31 ? 1 : 0;
      return len < 0 || Math.floor(off / 8) >= len || old !== bit ? 1 : 0;
    },
  },
  bitop: store((argv) => argv[2]!),
  // hyperloglog.c (PFADD and PFCOUNT count in their handlers)
  pfmerge: one,
  // lists (t_list.c)
  lpush: { post: (_c, argv) => argv.length - 2 },
  rpush: { post: (_c, argv) => argv.length - 2 },
  lpushx: { post: (_c, argv, r) => (r > 0 ? argv.length - 2 : 0) },
  rpushx: { post: (_c, argv, r) => (r > 0 ? argv.length - 2 : 0) },
  linsert: positive,
  lset: one,
  lpop: popped,
  rpop: popped,
  lmpop: mpopped,
  blmpop: mpopped,
  blpop: nonNull,
  brpop: nonNull,
  lmove: nonNull,
  blmove: nonNull,
  rpoplpush: nonNull,
  brpoplpush: nonNull,
  ltrim: shrunk,
  lrem: replied,
  // hashes (t_hash.c)
  hset: { post: (_c, argv) => (argv.length - 2) / 2 },
  hmset: { post: (_c, argv) => (argv.length - 2) / 2 },
  hsetnx: positive,
  hincrby: one,
  hincrbyfloat: one,
  hdel: replied,
  // sets (t_set.c)
  sadd: replied,
  srem: replied,
  smove: {
    pre: (c, argv) => {
      if (Buffer.compare(argv[1]!, argv[2]!) === 0) return -1;
      const id = c.db.find(argv[2]!, true);
      if (id < 0 || c.db.typeOf(id) !== 'set') return 0;
      const v = c.db.value(id) as { has(m: Uint8Array): boolean } | null;
      return v !== null && v.has(argv[3]!) ? 1 : 0;
    },
    post: (_c, _a, r, dst) => (r > 0 && dst >= 0 ? 1 + (dst === 1 ? 0 : 1) : 0),
  },
  spop: popped,
  sinterstore: store(dstArg1),
  sunionstore: store(dstArg1),
  sdiffstore: store(dstArg1),
  // sorted sets (t_zset.c; ZADD, ZINCRBY and GEOADD count in ZADD's handler)
  zrem: replied,
  zremrangebyscore: replied,
  zremrangebyrank: replied,
  zremrangebylex: replied,
  zpopmin: shrunk,
  zpopmax: shrunk,
  bzpopmin: nonNull,
  bzpopmax: nonNull,
  zmpop: mpopped,
  bzmpop: mpopped,
  zunionstore: store(dstArg1),
  zinterstore: store(dstArg1),
  zdiffstore: store(dstArg1),
  zrangestore: store(dstArg1),
  // geo.c, sort.c: dirty += the stored count
  georadius: store(optionKey(6, ['STORE', 'STOREDIST']), true),
  georadiusbymember: store(optionKey(5, ['STORE', 'STOREDIST']), true),
  geosearchstore: store(dstArg1, true),
  sort: store(optionKey(2, ['STORE']), true),
  // keys (db.c, expire.c)
  del: replied,
  unlink: replied,
  expire: positive,
  pexpire: positive,
  expireat: positive,
  pexpireat: positive,
  persist: positive,
  rename: one,
  renamenx: positive,
  move: positive,
  copy: positive,
  swapdb: one,
  restore: one,
  flushdb: { pre: (c) => c.db.ks.size, post: (_c, _a, _r, n) => n },
  // FLUSHALL counts in its handler (its save resets dirty)
  // streams (t_stream.c): the writes of a stream's entries
  xadd: nonNull,
  xdel: replied,
  xtrim: replied,
  xsetid: one,
  // functions.c
  'function|load': one,
  'function|delete': one,
  'function|flush': one,
  'function|restore': one,
};

/** what `name` would add to server.dirty, or undefined for a command that never does */
export function dirtyOf(name: string): Dirty | undefined {
  return TABLE[name];
}

/**
 * What a blocked command adds when it is served (serveClientBlockedOnList, blocked.c): BLPOP,
 * BRPOP, BLMOVE and BRPOPLPUSH pop without touching dirty there; BLMPOP (listElementsRemoved)
 * and BZPOPMIN/MAX, BZMPOP (genericZpopCommand) count as when they do not block.
 */
export function dirtyOfServed(name: string): Dirty | undefined {
  return name === 'blpop' || name === 'brpop' || name === 'blmove' || name === 'brpoplpush' ? undefined : TABLE[name];
}

/** after a successful call of `d` (dispatch; a blocked command when served) whose reply is in `w` from `mark` */
export function addDirty(c: Context, d: Dirty, argv: Buffer[], w: ReplySink, mark: number, pre: number): void {
  c.instance.dirty += d.post(c, argv, head(w, mark), pre, w, mark);
}

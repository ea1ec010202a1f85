/**
 * Keyspace notifications of the write commands that existed before notifications did, as a
 * table run around the handler by dispatch (only while notify-keyspace-events is not empty):
 * `pre` looks at the keys before the command, `post` publishes what Redis's command would
 * have notified (the events, their order and conditions of 7.0's t_*.c / db.c / expire.c).
 * A new command file notifies from its handler instead (`notify` from _notify.ts), where it
 * knows exactly what changed; an entry here is then not needed.
 *
 * Known approximation: ZADD notifies on every successful call (Redis skips a ZADD that
 * neither added nor updated a member).
 */
import type { Context } from './context.js';
import { NOTIFY } from './_notify.js';
import { is } from './_util.js';

type Pre = unknown;
interface Events {
  pre?(c: Context, argv: Buffer[]): Pre;
  post(c: Context, argv: Buffer[], pre: Pre): void;
}

const G = NOTIFY.GENERIC;
const S = NOTIFY.STRING;
const L = NOTIFY.LIST;
const H = NOTIFY.HASH;
const SE = NOTIFY.SET;
const Z = NOTIFY.ZSET;
const T = NOTIFY.STREAM;

function ev(c: Context, type: number, event: string, key: Uint8Array, db = c.dbIndex): void {
  const ps = c.instance.pubsub;
  if ((ps.notifyFlags & type) !== 0) ps.notify(type, event, key, db);
}

/** -1 absent, else the key's length (elements; bytes for strings) */
function len(c: Context, key: Buffer): number {
  const id = c.db.ks.find(key);
  if (id < 0) return -1;
  return c.db.ks.lengthOf(id);
}
function exists(c: Context, key: Buffer): boolean {
  return c.db.find(key) >= 0;
}
function ttl(c: Context, key: Buffer): number | null {
  const id = c.db.find(key);
  return id < 0 ? null : c.db.ks.expireOf(id);
}
function delIfGone(c: Context, key: Buffer): void {
  if (!exists(c, key)) ev(c, G, 'del', key);
}

/** a collection write that notifies `event` when the length went the `dir` way */
function lengthEvent(type: number, event: string, dir: 1 | -1, del = dir < 0): Events {
  return {
    pre: (c, argv) => len(c, argv[1]!),
    post: (c, argv, pre) => {
      const now = len(c, argv[1]!);
      const before = pre as number;
      const changed = dir > 0 ? now > Math.max(before, 0) : now < before;
      if (!changed) return;
      ev(c, type, event, argv[1]!);
      if (del) delIfGone(c, argv[1]!);
    },
  };
}

/** always on success */
function always(type: number, event: string): Events {
  return { post: (c, argv) => ev(c, type, event, argv[1]!) };
}

/** SET (with its NX / XX conditions), SETEX, PSETEX: "set", then "expire" when one was given */
function setLike(expireAt: (argv: Buffer[]) => boolean, options = false): Events {
  return {
    pre: (c, argv) => exists(c, argv[1]!),
    post: (c, argv, pre) => {
      const existed = pre as boolean;
      let nx = false;
      let xx = false;
      if (options) for (let i = 3; i < argv.length; i++) {
        if (is(argv[i]!, 'NX')) nx = true;
        else if (is(argv[i]!, 'XX')) xx = true;
      }
      if ((nx && existed) || (xx && !existed)) return;
      ev(c, S, 'set', argv[1]!);
      if (expireAt(argv)) ev(c, G, 'expire', argv[1]!);
    },
  };
}

function storeEvent(type: number, event: string): Events {
  return {
    pre: (c, argv) => exists(c, argv[1]!),
    post: (c, argv, pre) => {
      if (exists(c, argv[1]!)) ev(c, type, event, argv[1]!);
      else if (pre) ev(c, G, 'del', argv[1]!);
    },
  };
}

const expire: Events = {
  pre: (c, argv) => ttl(c, argv[1]!),
  post: (c, argv, pre) => {
    if (pre === null) return;
    const now = ttl(c, argv[1]!);
    if (now === null) ev(c, G, 'del', argv[1]!);
    else if (now !== pre) ev(c, G, 'expire', argv[1]!);
  },
};

const TABLE: Record<string, Events> = {
  set: setLike((argv) => argv.slice(3).some((a) => is(a, 'EX') || is(a, 'PX') || is(a, 'EXAT') || is(a, 'PXAT')), true),
  setnx: {
    pre: (c, argv) => exists(c, argv[1]!),
    post: (c, argv, pre) => {
      if (!pre) ev(c, S, 'set', argv[1]!);
    },
  },
  setex: setLike(() => true),
  psetex: setLike(() => true),
  getset: always(S, 'set'),
  mset: { post: (c, argv) => { for (let i = 1; i < argv.length; i += 2) ev(c, S, 'set', argv[i]!); } },
  msetnx: {
    pre: (c, argv) => argv.some((a, i) => i % 2 === 1 && exists(c, a)),
    post: (c, argv, pre) => {
      if (!pre) for (let i = 1; i < argv.length; i += 2) ev(c, S, 'set', argv[i]!);
    },
  },
  append: always(S, 'append'),
  incr: always(S, 'incrby'),
  decr: always(S, 'decrby'),
  incrby: always(S, 'incrby'),
  decrby: always(S, 'decrby'),
  incrbyfloat: always(S, 'incrbyfloat'),
  setrange: {
    pre: (c, argv) => exists(c, argv[1]!),
    post: (c, argv, pre) => {
      if (pre || argv[3]!.length > 0) ev(c, S, 'setrange', argv[1]!);
    },
  },
  setbit: always(S, 'setbit'),
  del: {
    pre: (c, argv) => argv.slice(1).map((k) => exists(c, k)),
    post: (c, argv, pre) => {
      const had = pre as boolean[];
      for (let i = 1; i < argv.length; i++) if (had[i - 1] && !exists(c, argv[i]!)) ev(c, G, 'del', argv[i]!);
    },
  },
  getdel: {
    pre: (c, argv) => exists(c, argv[1]!),
    post: (c, argv, pre) => {
      if (pre && !exists(c, argv[1]!)) ev(c, G, 'del', argv[1]!);
    },
  },
  getex: {
    pre: (c, argv) => ttl(c, argv[1]!),
    post: (c, argv, pre) => {
      if (pre === null) return;
      const now = ttl(c, argv[1]!);
      if (now === null) ev(c, G, 'del', argv[1]!);
      else if (argv.slice(2).some((a) => is(a, 'PERSIST'))) {
        if (pre !== -1) ev(c, G, 'persist', argv[1]!);
      } else if (argv.length > 2) ev(c, G, 'expire', argv[1]!);
    },
  },
  expire,
  pexpire: expire,
  expireat: expire,
  pexpireat: expire,
  persist: {
    pre: (c, argv) => ttl(c, argv[1]!),
    post: (c, argv, pre) => {
      if (pre !== null && pre !== -1 && ttl(c, argv[1]!) === -1) ev(c, G, 'persist', argv[1]!);
    },
  },
  rename: {
    pre: (c, argv) => exists(c, argv[1]!),
    post: (c, argv, pre) => {
      if (!pre || argv[1]!.equals(argv[2]!) || exists(c, argv[1]!)) return;
      ev(c, G, 'rename_from', argv[1]!);
      ev(c, G, 'rename_to', argv[2]!);
    },
  },
  move: {
    pre: (c, argv) => exists(c, argv[1]!),
    post: (c, argv, pre) => {
      if (!pre || exists(c, argv[1]!)) return;
      ev(c, G, 'move_from', argv[1]!);
      const to = Number(argv[2]!.toString('latin1'));
      ev(c, G, 'move_to', argv[1]!, to);
    },
  },
  copy: {
    post: (c, argv) => {
      let db = c.dbIndex;
      for (let j = 3; j < argv.length; j++) if (is(argv[j]!, 'DB') && j + 1 < argv.length) db = Number(argv[j + 1]!.toString('latin1'));
      // COPY replies 1 when it copied: the destination now exists (checked on its db)
      const d = c.instance.dbs[db];
      if (d && d.find(argv[2]!) >= 0) ev(c, G, 'copy_to', argv[2]!, db);
    },
  },
  lpush: lengthEvent(L, 'lpush', 1),
  rpush: lengthEvent(L, 'rpush', 1),
  lpushx: lengthEvent(L, 'lpush', 1),
  rpushx: lengthEvent(L, 'rpush', 1),
  lpop: lengthEvent(L, 'lpop', -1),
  rpop: lengthEvent(L, 'rpop', -1),
  linsert: lengthEvent(L, 'linsert', 1),
  lrem: lengthEvent(L, 'lrem', -1),
  lset: always(L, 'lset'),
  ltrim: {
    pre: (c, argv) => exists(c, argv[1]!),
    post: (c, argv, pre) => {
      if (!pre) return;
      ev(c, L, 'ltrim', argv[1]!);
      delIfGone(c, argv[1]!);
    },
  },
  lmove: {
    pre: (c, argv) => len(c, argv[1]!),
    post: (c, argv, pre) => {
      if ((pre as number) <= 0) return;
      const fromTail = is(argv[3]!, 'RIGHT');
      const toTail = is(argv[4]!, 'RIGHT');
      ev(c, L, toTail ? 'rpush' : 'lpush', argv[2]!);
      ev(c, L, fromTail ? 'rpop' : 'lpop', argv[1]!);
      delIfGone(c, argv[1]!);
    },
  },
  rpoplpush: {
    pre: (c, argv) => len(c, argv[1]!),
    post: (c, argv, pre) => {
      if ((pre as number) <= 0) return;
      ev(c, L, 'lpush', argv[2]!);
      ev(c, L, 'rpop', argv[1]!);
      delIfGone(c, argv[1]!);
    },
  },
  hset: always(H, 'hset'),
  hmset: always(H, 'hset'),
  hsetnx: lengthEvent(H, 'hset', 1),
  hdel: lengthEvent(H, 'hdel', -1),
  hincrby: always(H, 'hincrby'),
  hincrbyfloat: always(H, 'hincrbyfloat'),
  sadd: lengthEvent(SE, 'sadd', 1),
  srem: lengthEvent(SE, 'srem', -1),
  spop: lengthEvent(SE, 'spop', -1),
  smove: {
    pre: (c, argv) => len(c, argv[1]!),
    post: (c, argv, pre) => {
      const now = len(c, argv[1]!);
      if (now >= (pre as number)) return;
      ev(c, SE, 'srem', argv[1]!);
      delIfGone(c, argv[1]!);
      ev(c, SE, 'sadd', argv[2]!);
    },
  },
  sinterstore: storeEvent(SE, 'sinterstore'),
  sunionstore: storeEvent(SE, 'sunionstore'),
  sdiffstore: storeEvent(SE, 'sdiffstore'),
  zadd: {
    post: (c, argv) => {
      const incr = argv.slice(2).some((a) => is(a, 'INCR'));
      if (exists(c, argv[1]!)) ev(c, Z, incr ? 'zincr' : 'zadd', argv[1]!);
    },
  },
  zincrby: always(Z, 'zincr'),
  zrem: lengthEvent(Z, 'zrem', -1),
  zpopmin: lengthEvent(Z, 'zpopmin', -1),
  zpopmax: lengthEvent(Z, 'zpopmax', -1),
  zremrangebyscore: lengthEvent(Z, 'zremrangebyscore', -1),
  zremrangebyrank: lengthEvent(Z, 'zremrangebyrank', -1),
  zremrangebylex: lengthEvent(Z, 'zremrangebylex', -1),
  zunionstore: storeEvent(Z, 'zunionstore'),
  zinterstore: storeEvent(Z, 'zinterstore'),
  xadd: {
    post: (c, argv) => {
      if (exists(c, argv[1]!)) ev(c, T, 'xadd', argv[1]!);
    },
  },
  xdel: lengthEvent(T, 'xdel', -1, false),
  xtrim: lengthEvent(T, 'xtrim', -1, false),
};

/** the table entry of a command, when it has one */
export function keyspaceEventsOf(name: string): Events | undefined {
  return TABLE[name];
}

export type { Events as KeyspaceEvents };

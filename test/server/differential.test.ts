/**
 * MULTI/EXEC/WATCH, pub/sub and keyspace notifications, blocking commands, CONFIG SET,
 * SLOWLOG, CLIENT subcommands and RESET against a live redis-server 7.0.15: every scenario runs
 * the same commands on both, on raw connections, and the replies must be the same bytes
 * (where a value depends on the run — ids, times, durations — the scenario masks it).
 */
import { test } from 'node:test';
import type { RedisHandle } from '../helpers/redis-server.js';
import { redisAndOurs, type Served } from '../resp/helpers.js';
import { both as bothOn, type Scenario } from './both.js';

let redis: RedisHandle;
let ours: Served;
redisAndOurs((r, o) => {
  redis = r;
  ours = o;
});

const both = (s: Scenario): Promise<void> => bothOn(redis.port, ours.port, s);

/** CONFIG GET's pairs sorted by name (Redis answers in its dict's order) */
function sortedPairs(reply: string): string {
  const lines = reply.split('\r\n');
  const pairs: string[] = [];
  for (let i = 1; i + 3 < lines.length; i += 4) pairs.push(`${lines[i + 1]}=${lines[i + 3]}`);
  return `${lines[0]} ${pairs.sort().join(' ')}`;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

test('MULTI/EXEC: queueing, EXECABORT, nesting, DISCARD, errors inside EXEC', () =>
  both(async (open, log) => {
    const r = await open();
    for (const cmd of [
      ['EXEC'], ['DISCARD'], ['MULTI'], ['SET', 'a', '1'], ['INCR', 'a'], ['LPUSH', 'a', 'x'], ['MULTI'], ['EXEC'],
      ['GET', 'a'], ['MULTI'], ['SET', 'b', '1'], ['NOSUCH', 'x'], ['GET', 'b', 'c'], ['EXEC'], ['EXISTS', 'b'],
      ['MULTI'], ['WATCH', 'a'], ['PING'], ['DISCARD'], ['MULTI'], ['SELECT', '3'], ['SET', 'in3', 'v'], ['EXEC'],
      ['EXISTS', 'in3'], ['SELECT', '0'], ['MULTI'], ['EXEC'], ['MULTI'], ['BLPOP', 'nolist', '0'], ['BZPOPMIN', 'nozset', '0'],
      ['BLMOVE', 'nolist', 'x', 'LEFT', 'RIGHT', '0'], ['EXEC'], ['UNWATCH'], ['CLIENT', 'INFO'],
    ]) {
      const rep = await r.cmd(...cmd);
      log(cmd[0] === 'CLIENT' ? rep.replace(/id=\d+ addr=\S+ laddr=\S+ fd=\d+ /, '').replace(/age=\d+ idle=\d+ /, '').replace(/qbuf=\d+ qbuf-free=\d+ argv-mem=\d+ /, '').replace(/rbs=\d+ rbp=\d+ obl=\d+ oll=\d+ omem=\d+ tot-mem=\d+ /, '').replace(/^=\d+\r\ntxt:/, '').replace(/^\$\d+\r\n/, '') : rep);
    }
  }));

test('WATCH: touched by another client, by EXPIRE, FLUSHDB, SWAPDB; untouched keys; the db remembered', () =>
  both(async (open, log) => {
    const r = await open();
    const o = await open();
    const round = async (setup: () => Promise<void>): Promise<void> => {
      await r.cmd('SET', 'w', '1');
      log(await r.cmd('WATCH', 'w', 'other'));
      await setup();
      log(await r.cmd('MULTI'));
      log(await r.cmd('INCR', 'w'));
      log(await r.cmd('EXEC'));
    };
    await round(async () => undefined);
    await round(async () => void (await o.cmd('SET', 'w', '5')));
    await round(async () => void (await o.cmd('EXPIRE', 'w', '100')));
    await round(async () => void (await o.cmd('SET', 'unrelated', '5')));
    await round(async () => void (await o.cmd('FLUSHDB')));
    await round(async () => void (await o.cmd('FLUSHALL')));
    await round(async () => void (await o.cmd('SWAPDB', '0', '1')));
    await round(async () => void (await o.cmd('LPUSH', 'other', 'x')));
    await round(async () => void (await o.cmd('DEL', 'nothere')));
    // another db's key of the same name does not touch
    await round(async () => {
      await o.cmd('SELECT', '5');
      await o.cmd('SET', 'w', 'x');
      await o.cmd('SELECT', '0');
    });
    // DISCARD unwatches; WATCH after a touch stays dirty until EXEC
    log(await r.cmd('WATCH', 'w'));
    await o.cmd('SET', 'w', '9');
    log(await r.cmd('MULTI'));
    log(await r.cmd('DISCARD'));
    log(await r.cmd('MULTI'));
    log(await r.cmd('EXEC'));
  }));

test('pub/sub: SUBSCRIBE/PSUBSCRIBE/SSUBSCRIBE, messages, counts, subscribed mode, PUBSUB, RESP3 pushes', () =>
  both(async (open, log) => {
    const s = await open();
    const p = await open();
    s.send('SUBSCRIBE', 'ch1', 'ch2', 'ch1');
    for (let i = 0; i < 3; i++) log(await s.read());
    s.send('PSUBSCRIBE', 'ch*', 'x?');
    for (let i = 0; i < 2; i++) log(await s.read());
    log(await p.cmd('PUBLISH', 'ch1', 'hello'));
    for (let i = 0; i < 2; i++) log(await s.read());
    log(await p.cmd('PUBSUB', 'NUMSUB', 'ch1', 'ch2', 'nope'));
    log(await p.cmd('PUBSUB', 'NUMPAT'));
    log(await p.cmd('PUBSUB', 'CHANNELS', 'ch[1]'));
    log(await s.cmd('PING'));
    log(await s.cmd('PING', 'x'));
    log(await s.cmd('GET', 'k'));
    log(await s.cmd('CLIENT', 'ID').then((x) => x.replace(/\d+/, 'N')));
    // a mass unsubscribe goes in the dict's order: leave one channel for it
    s.send('UNSUBSCRIBE', 'ch2');
    log(await s.read());
    s.send('UNSUBSCRIBE');
    log(await s.read());
    s.send('PUNSUBSCRIBE', 'x?', 'nope');
    for (let i = 0; i < 2; i++) log(await s.read());
    s.send('PUNSUBSCRIBE');
    log(await s.read());
    s.send('UNSUBSCRIBE');
    log(await s.read());
    log(await s.cmd('PING'));
    // shard channels count apart
    s.send('SSUBSCRIBE', 'sh');
    log(await s.read());
    log(await p.cmd('SPUBLISH', 'sh', 'm'));
    log(await s.read());
    log(await p.cmd('PUBSUB', 'SHARDNUMSUB', 'sh'));
    log(await p.cmd('PUBSUB', 'SHARDCHANNELS'));
    s.send('SUNSUBSCRIBE');
    log(await s.read());
    // RESP3: pushes, and commands allowed while subscribed
    const t = await open();
    await t.cmd('HELLO', '3');
    t.send('SUBSCRIBE', 'r3');
    log(await t.read());
    log(await t.cmd('SET', 'k3', 'v'));
    log(await p.cmd('PUBLISH', 'r3', 'pushed'));
    log(await t.read());
    log(await p.cmd('PUBSUB', 'HELP').then((x) => x.slice(0, 80)));
    log(await p.cmd('PUBSUB', 'NOPE'));
  }));

test('keyspace notifications: flags, the generic, string, list, set, hash, zset events, expired', () =>
  both(async (open, log) => {
    const s = await open();
    const w = await open();
    log(await w.cmd('CONFIG', 'SET', 'notify-keyspace-events', 'KEA'));
    log(sortedPairs(await w.cmd('CONFIG', 'GET', 'notify-keyspace-events')));
    s.send('PSUBSCRIBE', '__key*__:*');
    log(await s.read());
    const cmds = [
      ['SET', 'k', 'v'], ['SET', 'k', 'v', 'NX'], ['SET', 'k', 'v2', 'EX', '100'], ['APPEND', 'k', 'x'], ['INCRBY', 'n', '2'], ['EXPIRE', 'k', '50'],
      ['PERSIST', 'k'], ['RENAME', 'k', 'k2'], ['DEL', 'k2', 'nokey'], ['LPUSH', 'l', 'a', 'b'], ['RPUSH', 'l', 'c'], ['LPOP', 'l'], ['RPOP', 'l', '5'],
      ['SADD', 's', 'a', 'b'], ['SADD', 's', 'a'], ['SREM', 's', 'x'], ['SREM', 's', 'a', 'b'], ['HSET', 'h', 'f', 'v'], ['HINCRBY', 'h', 'n', '1'],
      ['HDEL', 'h', 'f', 'n'], ['ZADD', 'z', '1', 'a'], ['ZINCRBY', 'z', '2', 'a'], ['ZREM', 'z', 'a'], ['LPUSH', 'bl', 'x'], ['BLPOP', 'bl', '0'],
      ['RPUSH', 'src', '1'], ['LMOVE', 'src', 'dst', 'LEFT', 'RIGHT'],
      // a time already past: SET keeps the key until its next lookup (setGenericCommand's setExpire);
      // in MULTI, so that no active expire cycle runs between the SET and the DBSIZE on either server
      ['MULTI'], ['SET', 'past', 'v', 'PXAT', '1'], ['DBSIZE'], ['EXEC'], ['GET', 'past'],
      // set after past is gone: their "expired" events come in this order whichever expires them
      ['SET', 'gone', 'v', 'PX', '1'],
    ];
    for (const c of cmds) log(c.join(' ') + ' => ' + (await w.cmd(...c)));
    await sleep(20);
    log(await w.cmd('GET', 'gone'));
    log(await w.cmd('CONFIG', 'SET', 'notify-keyspace-events', 'Elx$'));
    log(sortedPairs(await w.cmd('CONFIG', 'GET', 'notify-keyspace-events')));
    log(await w.cmd('SET', 'k', 'v'));
    log(await w.cmd('PUBLISH', 'end', 'x'));
    // everything published so far, in order
    for (;;) {
      const m = await s.read(300).catch(() => null);
      if (m === null) break;
      log(m);
    }
    log(await w.cmd('CONFIG', 'SET', 'notify-keyspace-events', 'Kq'));
    log(await w.cmd('CONFIG', 'SET', 'notify-keyspace-events', 'KA'));
    log(sortedPairs(await w.cmd('CONFIG', 'GET', 'notify-keyspace-events')));
    log(await w.cmd('CONFIG', 'SET', 'notify-keyspace-events', ''));
  }));

test('keyspace notifications: evicted, when CONFIG SET maxmemory evicts at once', () =>
  both(async (open, log) => {
    const s = await open();
    const w = await open();
    log(await w.cmd('CONFIG', 'SET', 'notify-keyspace-events', 'Ee'));
    log(await w.cmd('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru'));
    s.send('PSUBSCRIBE', '*');
    log(await s.read());
    log(await w.cmd('SET', 'foo', 'bar'));
    log(await w.cmd('CONFIG', 'SET', 'maxmemory', '1'));
    log(await s.read());
    log(await w.cmd('CONFIG', 'SET', 'maxmemory', '0'));
    log(await w.cmd('CONFIG', 'SET', 'maxmemory-policy', 'noeviction'));
    log(await w.cmd('EXISTS', 'foo'));
  }));

test('blocking: timeouts and their errors, FIFO serving, BLMOVE, BZPOPMIN, *MPOP, CLIENT UNBLOCK', () =>
  both(async (open, log) => {
    const r = await open();
    const a = await open();
    const b = await open();
    for (const c of [
      ['BLPOP', 'q', '-1'], ['BLPOP', 'q', 'abc'], ['BLPOP', 'q', '0x1p-10'], ['BLPOP', 'q', '0x'], ['BLPOP', 'q', '1e400'], ['BLPOP', 'q', 'nan'], ['BRPOP', 'q', '0.01'],
      ['SET', 'str', 'x'], ['BLPOP', 'str', '0'], ['BLMPOP', '0', '0', 'q', 'LEFT'], ['BLMPOP', '0', '1', 'q'], ['BLMPOP', '0', '1', 'q', 'UP'],
      ['BLMPOP', '0', '1', 'q', 'LEFT', 'COUNT', '0'], ['LMPOP', '1', 'q', 'LEFT'], ['RPUSH', 'q', '1', '2', '3'], ['LMPOP', '2', 'x', 'q', 'RIGHT', 'COUNT', '2'],
      ['BLMPOP', '0', '1', 'q', 'LEFT', 'COUNT', '5'], ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c'], ['BZPOPMIN', 'z', '0'], ['BZPOPMAX', 'nz', 'z', '0'],
      ['ZMPOP', '1', 'z', 'MIN', 'COUNT', '9'], ['ZMPOP', '1', 'z', 'MAX'], ['BZMPOP', '0.01', '1', 'z', 'MIN'], ['WAIT', '0', '0'], ['WAIT', 'x', '0'], ['WAIT', '1', '10'],
      ['BRPOPLPUSH', 'nolist', 'd', '0.01'], ['BLMOVE', 'nolist', 'd', 'LEFT', 'LEFT', '0.01'],
    ]) log(c.join(' ') + ' => ' + (await r.cmd(...c)));
    // two waiters on one key are served in the order they blocked
    a.send('BLPOP', 'fifo', 'other', '0');
    await sleep(30);
    b.send('BRPOP', 'fifo', '0');
    await sleep(30);
    log(await r.cmd('INFO', 'clients').then((x) => /blocked_clients:\d+/.exec(x)![0]));
    log(await r.cmd('RPUSH', 'fifo', 'x', 'y', 'z'));
    log(await a.read());
    log(await b.read());
    log(await r.cmd('LRANGE', 'fifo', '0', '-1'));
    // a transaction's pushes reach the waiter after EXEC, as one state
    a.send('BLMOVE', 'm', 'mdst', 'RIGHT', 'LEFT', '0');
    await sleep(30);
    await r.cmd('MULTI');
    await r.cmd('RPUSH', 'm', '1');
    await r.cmd('RPUSH', 'm', '2');
    log(await r.cmd('EXEC'));
    log(await a.read());
    log(await r.cmd('LRANGE', 'mdst', '0', '-1'));
    // the waiter's key becomes a string: still blocked; then unblocked by CLIENT UNBLOCK
    const aid = (await a.cmd('CLIENT', 'ID')).slice(1).trim();
    a.send('BZPOPMIN', 'zz', '0');
    await sleep(30);
    log(await r.cmd('SET', 'zz', 'string'));
    await sleep(30);
    log(String(a.pending));
    log(await r.cmd('CLIENT', 'UNBLOCK', aid, 'WHAT'));
    log(await r.cmd('CLIENT', 'UNBLOCK', aid));
    log(await a.read());
    a.send('BLPOP', 'never', '0');
    await sleep(30);
    log(await r.cmd('CLIENT', 'UNBLOCK', aid, 'ERROR'));
    log(await a.read());
    log(await r.cmd('CLIENT', 'UNBLOCK', aid));
    // timeouts
    a.send('BLPOP', 'never', '0.05');
    log(await a.read());
    log(await a.cmd('PING'));
  }));

test('CONFIG SET: errors, several at once all or nothing, values as CONFIG GET shows them', () =>
  both(async (open, log) => {
    const r = await open();
    for (const c of [
      ['CONFIG', 'SET', 'maxmemory'], ['CONFIG', 'SET', 'maxmemory', '1', 'hz'], ['CONFIG', 'SET', 'nosuch', '1'], ['CONFIG', 'SET', 'daemonize', 'no'],
      ['CONFIG', 'SET', 'maxmemory', 'lots'], ['CONFIG', 'SET', 'hz', 'x'], ['CONFIG', 'SET', 'appendonly', 'maybe'], ['CONFIG', 'SET', 'maxmemory-policy', 'lru'],
      ['CONFIG', 'SET', 'maxmemory', '1mb', 'maxmemory', '2mb'], ['CONFIG', 'SET', 'slowlog-max-len', '7', 'hz', 'x'], ['CONFIG', 'GET', 'slowlog-max-len'],
      ['CONFIG', 'SET', 'slowlog-max-len', '7', 'maxmemory', '3gb', 'maxmemory-policy', 'ALLKEYS-LRU'], ['CONFIG', 'GET', 'maxmemory*'],
      ['CONFIG', 'SET', 'hash-max-ziplist-entries', '3'], ['CONFIG', 'GET', 'hash-max-*-entries'], ['HSET', 'h', 'a', '1', 'b', '2', 'c', '3'],
      ['OBJECT', 'ENCODING', 'h'], ['HSET', 'h', 'd', '4'], ['OBJECT', 'ENCODING', 'h'], ['MEMORY', 'USAGE', 'h'], ['CONFIG', 'SET', 'save', '100 x'],
      ['CONFIG', 'SET', 'save', ''], ['CONFIG', 'SET', 'latency-tracking-info-percentiles', '50 101'], ['CONFIG', 'SET', 'latency-tracking-info-percentiles', '50.0 99.90'],
      ['CONFIG', 'GET', 'latency-tracking-info-percentiles'], ['CONFIG', 'SET', 'maxmemory', '0', 'maxmemory-policy', 'noeviction', 'hash-max-listpack-entries', '128'],
      ['CONFIG', 'SET', 'slowlog-max-len', '128'], ['CONFIG', 'RESETSTAT'],
    ]) {
      const rep = await r.cmd(...c);
      log(c.join(' ') + ' => ' + (c[1] === 'GET' ? sortedPairs(rep) : rep));
    }
  }));

test('OOM under maxmemory: refused writes, queued commands, EXECABORT', () =>
  both(async (open, log) => {
    const r = await open();
    const o = await open();
    log(await r.cmd('SET', 'x', 'value'));
    log(await r.cmd('MULTI'));
    log(await r.cmd('GET', 'x'));
    log(await o.cmd('CONFIG', 'SET', 'maxmemory', '1'));
    log(await r.cmd('EXEC'));
    log(await r.cmd('SET', 'y', '1'));
    log(await r.cmd('GET', 'x'));
    log(await r.cmd('MULTI'));
    log(await r.cmd('SET', 'y', '1'));
    log(await r.cmd('DISCARD'));
    log(await o.cmd('CONFIG', 'SET', 'maxmemory', '0'));
    log(await r.cmd('MULTI'));
    log(await r.cmd('SET', 'y', '1'));
    log(await o.cmd('CONFIG', 'SET', 'maxmemory', '1'));
    log(await r.cmd('EXEC'));
    log(await o.cmd('CONFIG', 'SET', 'maxmemory', '0'));
  }));

test('SLOWLOG: entries, trimming of arguments, redaction, GET counts, RESET', () =>
  both(async (open, log) => {
    const r = await open();
    await r.cmd('CLIENT', 'SETNAME', 'slow');
    await r.cmd('CONFIG', 'SET', 'slowlog-log-slower-than', '0');
    await r.cmd('SLOWLOG', 'RESET');
    await r.cmd('SADD', 'set', ...Array.from({ length: 40 }, (_, i) => String(i)));
    await r.cmd('SET', 'long', 'A'.repeat(200));
    await r.cmd('CONFIG', 'SET', 'masterauth', 'secret');
    await r.cmd('MULTI');
    await r.cmd('PING');
    await r.cmd('EXEC');
    await r.cmd('CONFIG', 'SET', 'slowlog-log-slower-than', '-1');
    const raw = await r.cmd('SLOWLOG', 'GET', '-1');
    // mask id, time, duration and the peer address (they differ by run)
    log(raw.replace(/\*6\r\n:\d+\r\n:\d+\r\n:\d+\r\n/g, '*6\r\n:I\r\n:T\r\n:D\r\n').replace(/\$\d+\r\n127\.0\.0\.1:\d+\r\n/g, '$P\r\n'));
    log(await r.cmd('SLOWLOG', 'LEN'));
    log(await r.cmd('SLOWLOG', 'GET', '-2'));
    log(await r.cmd('SLOWLOG', 'GET', 'x'));
    log(await r.cmd('SLOWLOG', 'HELP'));
    log(await r.cmd('SLOWLOG', 'RESET'));
    log(await r.cmd('SLOWLOG', 'LEN'));
    await r.cmd('CONFIG', 'SET', 'slowlog-log-slower-than', '10000');
  }));

test('CLIENT REPLY / KILL / LIST TYPE / TRACKING / NO-EVICT / PAUSE errors, LATENCY, RESET', () =>
  both(async (open, log) => {
    const r = await open();
    const o = await open();
    r.send('CLIENT', 'REPLY', 'OFF');
    r.send('SET', 'a', '1');
    r.send('CLIENT', 'REPLY', 'ON');
    log(await r.read());
    r.send('CLIENT', 'REPLY', 'SKIP');
    r.send('GET', 'a');
    r.send('GET', 'a');
    log(await r.read());
    for (const c of [
      ['CLIENT', 'REPLY', 'MAYBE'], ['CLIENT', 'KILL', '1.2.3.4:5'], ['CLIENT', 'KILL', 'ID', 'x'], ['CLIENT', 'KILL', 'TYPE', 'odd'],
      ['CLIENT', 'KILL', 'USER', 'nobody'], ['CLIENT', 'KILL', 'SKIPME', 'maybe'], ['CLIENT', 'KILL', 'ADDR', '1.2.3.4:5', 'SKIPME', 'no'],
      ['CLIENT', 'LIST', 'TYPE', 'odd'], ['CLIENT', 'LIST', 'ID', 'x'], ['CLIENT', 'LIST', 'TYPE', 'pubsub'], ['CLIENT', 'NO-EVICT', 'maybe'],
      ['CLIENT', 'NO-EVICT', 'on'], ['CLIENT', 'GETREDIR'], ['CLIENT', 'TRACKING', 'on', 'PREFIX', 'a'], ['CLIENT', 'TRACKING', 'on', 'BCAST', 'OPTIN'],
      ['CLIENT', 'TRACKING', 'on', 'OPTIN', 'OPTOUT'], ['CLIENT', 'TRACKING', 'maybe'], ['CLIENT', 'CACHING', 'yes'], ['CLIENT', 'TRACKING', 'on'],
      ['CLIENT', 'GETREDIR'], ['CLIENT', 'TRACKINGINFO'], ['CLIENT', 'TRACKING', 'off'], ['CLIENT', 'GETREDIR'], ['CLIENT', 'PAUSE', 'x'],
      ['CLIENT', 'PAUSE', '-1'], ['CLIENT', 'PAUSE', '10', 'SOME'], ['CLIENT', 'UNPAUSE'], ['CLIENT', 'UNBLOCK', 'x'], ['CLIENT', 'UNBLOCK', '999999', 'ERROR'],
      ['LATENCY', 'HISTORY', 'nope'], ['LATENCY', 'RESET', 'nope'], ['LATENCY', 'LATEST'], ['LATENCY', 'GRAPH', 'nope'], ['LATENCY', 'HELP'],
      ['LATENCY', 'HELP', 'x'], ['LATENCY', 'DOCTOR'], ['CLIENT', 'HELP'], ['SELECT', '4'], ['HELLO', '3', 'SETNAME', 'nm'], ['MULTI'], ['RESET'],
      ['CLIENT', 'GETNAME'], ['EXEC'], ['HELLO', '3'],
    ]) {
      const rep = await r.cmd(...c);
      log(c.join(' ') + ' => ' + (c[0] === 'HELLO' ? rep.replace(/:\d+\r\n\$4\r\nmode/, ':N\r\n$4\r\nmode').replace(/\$2\r\nid\r\n:\d+/, 'id') : rep));
    }
    // KILL by id and by type
    const oid = (await o.cmd('CLIENT', 'ID')).slice(1).trim();
    log(await r.cmd('CLIENT', 'KILL', 'ID', oid));
    await sleep(30);
    log(String(o.closed));
  }));

/**
 * Client-side caching against a live redis-server 7.0.15: CLIENT TRACKING in RESP3 (push
 * messages) and RESP2 with REDIRECT to a __redis__:invalidate subscriber, BCAST with PREFIX,
 * OPTIN/OPTOUT with CLIENT CACHING, NOLOOP, invalidation by writes, by a key's expiry and by
 * FLUSHALL/FLUSHDB, a broken redirect, CLIENT TRACKINGINFO / GETREDIR and INFO's tracking
 * figures. Each scenario runs on raw connections to both servers; every frame each connection
 * receives (replies and pushes, read up to a PING's PONG) must be the same bytes. Then node-redis
 * client-side caching's own RESP3 tracking invalidates its cache through rdblens.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RedisHandle } from '../helpers/redis-server.js';
import { redisAndOurs, type Served } from '../resp/helpers.js';
import { Raw } from './raw.js';

let redis: RedisHandle;
let ours: Served;
redisAndOurs((r, o) => {
  redis = r;
  ours = o;
});

type Log = (s: string) => void;
interface Ctx {
  open(resp?: 2 | 3): Promise<Raw>;
  /** a command's reply, then whatever the connection received before a PING's PONG */
  run(r: Raw, ...args: string[]): Promise<void>;
  /** what arrived on `r` (pushes) until a PING answers */
  drain(r: Raw): Promise<void>;
  id(r: Raw): Promise<string>;
  /** two commands sent together (no PING between: CLIENT CACHING applies to the next command) */
  pair(r: Raw, a: string[], b: string[]): Promise<void>;
  log: Log;
}

async function both(scenario: (x: Ctx) => Promise<void>): Promise<void> {
  const go = async (port: number): Promise<string[]> => {
    const out: string[] = [];
    const conns: Raw[] = [];
    const names = new Map<Raw, string>();
    const ids = new Map<string, string>();
    const mask = (s: string): string => {
      let m = s;
      for (const [id, name] of ids) m = m.split(`:${id}\r\n`).join(`:<${name}>\r\n`).split(` ${id} `).join(` <${name}> `).split(` ${id} ->`).join(` <${name}> ->`);
      return m;
    };
    const drain = async (r: Raw): Promise<void> => {
      r.send('PING');
      for (;;) {
        const f = await r.read();
        // a RESP2 subscriber's PING answers [pong, ""]
        if (f === '+PONG\r\n' || f === '*2\r\n$4\r\npong\r\n$0\r\n\r\n') break;
        out.push(`${names.get(r)} got ${mask(f)}`);
      }
    };
    const x: Ctx = {
      async open(resp = 2) {
        const r = await Raw.open(port);
        conns.push(r);
        names.set(r, `c${conns.length}`);
        if (resp === 3) await r.cmd('HELLO', '3');
        return r;
      },
      async run(r, ...args) {
        out.push(mask(`${names.get(r)} ${args.join(' ')} -> ${await r.cmd(...args)}`));
        await drain(r);
      },
      drain,
      async id(r) {
        const id = (await r.cmd('CLIENT', 'ID')).slice(1, -2);
        ids.set(id, names.get(r)!);
        return id;
      },
      async pair(r, a, b) {
        r.send(...a);
        r.send(...b);
        out.push(mask(`${names.get(r)} ${a.join(' ')} -> ${await r.read()}`));
        out.push(mask(`${names.get(r)} ${b.join(' ')} -> ${await r.read()}`));
        await drain(r);
      },
      log: (s) => out.push(s),
    };
    const admin = await Raw.open(port);
    await admin.cmd('FLUSHALL');
    admin.close();
    try {
      await scenario(x);
    } finally {
      for (const c of conns) c.close();
    }
    return out;
  };
  const want = await go(redis.port);
  const got = await go(ours.port);
  if (process.env.TRACKING_DEBUG) console.log(JSON.stringify({ want, got }, null, 1));
  assert.deepEqual(got, want);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

test('RESP3 tracking: reads remembered, invalidated by another client, by itself after its reply, NOLOOP', () =>
  both(async ({ open, run, drain }) => {
    const c1 = await open(3);
    const c2 = await open(3);
    await run(c1, 'CLIENT', 'TRACKING', 'ON');
    await run(c1, 'CLIENT', 'TRACKINGINFO');
    await run(c1, 'GET', 'a');
    await run(c1, 'MGET', 'b', 'c');
    await run(c1, 'HGET', 'h', 'f');
    await run(c2, 'SET', 'a', '1');
    await drain(c1);
    await run(c2, 'MSET', 'b', '1', 'c', '2', 'a', '3');
    await drain(c1);
    await run(c2, 'HSET', 'h', 'f', 'v');
    await drain(c1);
    await run(c1, 'GET', 'a');
    await run(c1, 'SET', 'a', 'self');
    await run(c1, 'CLIENT', 'TRACKING', 'ON', 'NOLOOP');
    await run(c1, 'GET', 'a');
    await run(c1, 'INCR', 'n');
    await run(c1, 'GET', 'n');
    await run(c1, 'DEL', 'a', 'n');
    await run(c1, 'GET', 'a');
    await run(c2, 'DEL', 'a');
    await drain(c1);
    await run(c1, 'CLIENT', 'TRACKINGINFO');
    await run(c1, 'CLIENT', 'TRACKING', 'OFF');
    await run(c1, 'GET', 'a');
    await run(c2, 'SET', 'a', '2');
    await drain(c1);
  }));

test('RESP2 redirect to a __redis__:invalidate subscriber; a broken redirect; GETREDIR', () =>
  both(async ({ open, run, drain, id }) => {
    const sub = await open(2);
    const sub3 = await open(3);
    const c1 = await open(2);
    const c2 = await open(3);
    const w = await open(2);
    const subId = await id(sub);
    const sub3Id = await id(sub3);
    await run(sub, 'SUBSCRIBE', '__redis__:invalidate');
    await run(c1, 'CLIENT', 'TRACKING', 'ON', 'REDIRECT', subId);
    await run(c1, 'CLIENT', 'GETREDIR');
    await run(c2, 'CLIENT', 'TRACKING', 'ON', 'REDIRECT', sub3Id);
    await run(c1, 'GET', 'k');
    await run(c2, 'GET', 'k');
    await run(w, 'SET', 'k', 'v');
    await drain(sub);
    await drain(sub3);
    await run(c1, 'CLIENT', 'TRACKING', 'ON', 'REDIRECT', '999999');
    await run(c1, 'CLIENT', 'TRACKINGINFO');
    await run(c2, 'GET', 'k2');
    sub3.close();
    await sleep(50);
    await run(w, 'SET', 'k2', 'v');
    await drain(c2);
    await run(c2, 'CLIENT', 'TRACKINGINFO');
    await run(c2, 'CLIENT', 'GETREDIR');
  }));

test('BCAST with PREFIX (one message per prefix, the keys in order), NOLOOP, prefix overlap errors', () =>
  both(async ({ open, run, drain }) => {
    const c1 = await open(3);
    const c2 = await open(3);
    const w = await open(2);
    await run(c1, 'CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'b:', 'PREFIX', 'a:');
    await run(c1, 'CLIENT', 'TRACKINGINFO');
    await run(c2, 'CLIENT', 'TRACKING', 'ON', 'BCAST', 'NOLOOP');
    await run(w, 'MSET', 'a:2', 'x', 'c:3', 'z', 'b:1', 'y', 'a:1', 'w');
    await drain(c1);
    await drain(c2);
    await run(c2, 'SET', 'mine', '1');
    await run(w, 'SET', 'other', '1');
    await drain(c2);
    await run(c1, 'CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'a:x');
    await run(c1, 'CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'p', 'PREFIX', 'pq');
    await run(c1, 'CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'd:');
    await run(c1, 'CLIENT', 'TRACKINGINFO');
    await run(c1, 'CLIENT', 'TRACKING', 'ON');
    await run(c1, 'CLIENT', 'TRACKING', 'ON', 'PREFIX', 'x');
  }));

test('OPTIN / OPTOUT with CLIENT CACHING; expiry and FLUSHALL / FLUSHDB invalidate', () =>
  both(async ({ open, run, drain, pair }) => {
    const c1 = await open(3);
    const c2 = await open(3);
    const w = await open(2);
    await run(c1, 'CLIENT', 'TRACKING', 'ON', 'OPTIN');
    await run(c1, 'GET', 'x');
    await pair(c1, ['CLIENT', 'CACHING', 'YES'], ['CLIENT', 'TRACKINGINFO']);
    await pair(c1, ['CLIENT', 'CACHING', 'YES'], ['GET', 'y']);
    await run(c1, 'GET', 'z');
    await run(c1, 'CLIENT', 'CACHING', 'NO');
    await run(w, 'MSET', 'x', '1', 'y', '1', 'z', '1');
    await drain(c1);
    await run(c2, 'CLIENT', 'TRACKING', 'ON', 'OPTOUT');
    await pair(c2, ['CLIENT', 'CACHING', 'NO'], ['GET', 'x']);
    await run(c2, 'GET', 'y');
    await run(w, 'SET', 'e', 'v', 'PX', '60');
    await run(c2, 'GET', 'e');
    await run(w, 'MSET', 'x', '2', 'y', '2');
    await drain(c2);
    await sleep(150);
    // the lazy expiry (or the active cycle before it) invalidates e
    await run(w, 'GET', 'e');
    await drain(c2);
    await run(c2, 'GET', 'y');
    await run(w, 'FLUSHALL');
    await drain(c1);
    await drain(c2);
    await run(c2, 'FLUSHDB');
    await run(c1, 'CLIENT', 'TRACKING', 'OFF');
    await run(c1, 'CLIENT', 'TRACKINGINFO');
    await run(c1, 'CLIENT', 'GETREDIR');
  }));

test("INFO's tracking figures", async () => {
  for (const port of [redis.port, ours.port]) {
    const r = await Raw.open(port);
    await r.cmd('HELLO', '3');
    await r.cmd('CLIENT', 'TRACKING', 'ON');
    await r.cmd('MGET', 'i1', 'i2', 'i3');
    const b = await Raw.open(port);
    await b.cmd('CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'q', 'PREFIX', 'r');
    const info = await r.cmd('INFO', 'stats');
    const fig = (name: string): string => new RegExp(`${name}:(\\d+)`).exec(info)![1]!;
    assert.deepEqual([fig('tracking_total_keys'), fig('tracking_total_items'), fig('tracking_total_prefixes')], ['3', '3', '2'], `port ${port}`);
    assert.equal(/tracking_clients:(\d+)/.exec(await r.cmd('INFO', 'clients'))![1], '2');
    r.close();
    b.close();
    await new Promise((res) => setTimeout(res, 50));
  }
});

test("node-redis client-side caching (RESP3): a cached GET is dropped by the server's invalidation", async () => {
  const { createClient, BasicClientSideCache } = await import('redis');
  for (const port of [redis.port, ours.port]) {
    const cache = new BasicClientSideCache({ ttl: 0, maxEntries: 0 });
    const c = createClient({ socket: { port, host: '127.0.0.1' }, RESP: 3, clientSideCache: cache });
    const w = createClient({ socket: { port, host: '127.0.0.1' } });
    await c.connect();
    await w.connect();
    try {
      await w.set('csc', 'one');
      assert.equal(await c.get('csc'), 'one');
      assert.equal(await c.get('csc'), 'one');
      assert.equal(cache.stats().hitCount, 1, `port ${port}`);
      await w.set('csc', 'two');
      // the invalidation push comes before the PING's reply on the same connection
      await c.ping();
      assert.equal(await c.get('csc'), 'two', `port ${port}`);
      await w.flushAll();
      await c.ping();
      assert.equal(await c.get('csc'), null, `port ${port}`);
    } finally {
      await c.quit();
      await w.quit();
    }
  }
});

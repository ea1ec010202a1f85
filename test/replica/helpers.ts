/**
 * Helpers for the replica tests: a follower (`rdblens serve --replicaof` in process), a TCP
 * proxy that can cut the link mid-transfer or point at a restarted primary, and the check that
 * the follower ends equal to its primary, key by key.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { startRedis, type RedisHandle, type RespReply } from '../helpers/redis-server.js';
import { RespServer } from '../../src/resp/server.js';
import { Follower, type FollowerOptions } from '../../src/replica/follower.js';
import { serve, type Served } from '../resp/helpers.js';
import { memoryAgrees } from '../helpers/memory-agrees.js';

export interface Following extends Served {
  follower: Follower;
}

/** An in-process rdblens server following `port` (the primary, or a proxy in front of it). */
export async function follow(port: number, opts: Partial<FollowerOptions> = {}): Promise<Following> {
  const logs: string[] = [];
  const served = await serve([], { following: true, log: (l) => logs.push(l) });
  const follower = new Follower(served.server.instance, {
    host: '127.0.0.1',
    port,
    listeningPort: served.port,
    reconnectMs: 200,
    log: (l) => logs.push(l),
    ...opts,
  });
  follower.start();
  return {
    ...served,
    follower,
    async stop() {
      follower.close();
      await served.stop();
    },
  };
}

export async function waitFor(what: string, cond: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function infoField(text: string, name: string): string | undefined {
  return new RegExp(`^${name}:(.*)$`, 'm').exec(text)?.[1]?.trim();
}

/** The primary's master_repl_offset. */
export async function primaryOffset(primary: RedisHandle): Promise<number> {
  const info = await primary.command('INFO', 'replication');
  return Number(infoField(String(info), 'master_repl_offset'));
}

/** Wait until the follower has applied everything the primary has written so far. */
export async function caughtUp(primary: RedisHandle, f: Following, ms = 20_000): Promise<void> {
  const target = await primaryOffset(primary);
  await waitFor(`offset ${target} (at ${f.follower.link.offset}, link ${f.follower.link.state})`, () => f.follower.link.state === 'connected' && f.follower.link.offset >= target, ms);
}

/**
 * A real redis-server replica of the primary: what Redis itself reports after loading the same
 * RDB and applying the same stream. A key's allocation can depend on its history (an APPEND's
 * greedy sds growth, a dict grown one insert at a time) that the RDB does not carry; a real
 * replica has the same blind spot, so a follower figure equal to the replica's is right.
 */
/** A primary for the tests: our own redis-server, DEBUG allowed (HTSTATS-KEY). */
export function startPrimary(args: string[] = [], opts: { dir?: string; keepDir?: boolean } = {}): Promise<RedisHandle> {
  return startRedis({ args: ['--enable-debug-command', 'yes', ...args], ...opts });
}

export async function realReplica(primary: RedisHandle | { port: number }, auth: string[] = []): Promise<RedisHandle> {
  const rep = await startRedis({ args: ['--enable-debug-command', 'yes', ...auth] });
  await rep.command('REPLICAOF', '127.0.0.1', String(primary.port));
  return rep;
}

export async function replicaCaughtUp(primary: RedisHandle, rep: RedisHandle): Promise<void> {
  const target = await primaryOffset(primary);
  await waitFor('the real replica', async () => {
    const info = String(await rep.command('INFO', 'replication'));
    return infoField(info, 'master_link_status') === 'up' && Number(infoField(info, 'slave_repl_offset')) >= target;
  });
}

const LENGTH: Record<string, string> = { string: 'STRLEN', list: 'LLEN', set: 'SCARD', zset: 'ZCARD', hash: 'HLEN', stream: 'XLEN' };

async function keysOf(c: { command(...a: (string | Buffer)[]): Promise<RespReply> }): Promise<Buffer[]> {
  const r = await c.command('KEYS', '*');
  assert.ok(Array.isArray(r), `KEYS: ${String(r)}`);
  return r as Buffer[];
}

/**
 * Every db: the same keys; per key the same type, length, encoding and absolute expiry; MEMORY
 * USAGE within the calculator's accuracy. Returns the number of keys compared.
 */
export async function assertEqualToPrimary(primary: RedisHandle, f: Following, dbs: number[], replica?: RedisHandle): Promise<number> {
  if (replica) await replicaCaughtUp(primary, replica);
  let compared = 0;
  const failures: string[] = [];
  for (const db of dbs) {
    await primary.command('SELECT', String(db));
    await f.command('SELECT', String(db));
    const theirs = (await keysOf(primary)).map((k) => k.toString('latin1')).sort();
    const ours = (await keysOf(f)).map((k) => k.toString('latin1')).sort();
    assert.deepEqual(ours, theirs, `db${db}: the follower's keys differ from the primary's`);
    for (const name of theirs) {
      const k = Buffer.from(name, 'latin1');
      const type = String(await primary.command('TYPE', k));
      const enc = String(await primary.command('OBJECT', 'ENCODING', k));
      const row = async (c: { command(...a: (string | Buffer)[]): Promise<RespReply> }) => [
        String(await c.command('TYPE', k)),
        String(await c.command('OBJECT', 'ENCODING', k)),
        await c.command(LENGTH[type]!, k),
        await c.command('PEXPIRETIME', k),
      ];
      const [a, b] = [await row(primary), await row(f)];
      if (JSON.stringify(a) !== JSON.stringify(b)) {
        // an encoding can come from the key's history (APPEND made it raw): a real replica's counts then
        let c: unknown[] | null = null;
        if (replica) {
          await replica.command('SELECT', String(db));
          c = await row(replica);
        }
        if (JSON.stringify(c) !== JSON.stringify(b)) failures.push(`db${db} ${name}: primary ${JSON.stringify(a)}, real replica ${JSON.stringify(c)}, follower ${JSON.stringify(b)}`);
      }
      const mt = (await primary.command('MEMORY', 'USAGE', k, 'SAMPLES', '0')) as number;
      const mo = (await f.command('MEMORY', 'USAGE', k, 'SAMPLES', '0')) as number;
      if (!(await memoryAgrees(primary, k, enc, mt, mo))) {
        let mr: RespReply = null;
        if (replica) {
          await replica.command('SELECT', String(db));
          mr = await replica.command('MEMORY', 'USAGE', k, 'SAMPLES', '0');
        }
        if (!(replica && (await memoryAgrees(replica, k, enc, mr as number, mo)))) {
          failures.push(`db${db} ${name} (${enc}): MEMORY USAGE primary ${mt}, real replica ${String(mr)}, follower ${mo}`);
        }
      }
      compared++;
    }
  }
  await primary.command('SELECT', '0');
  await f.command('SELECT', '0');
  assert.deepEqual(failures, [], `${failures.length} keys differ`);
  return compared;
}

/**
 * A TCP proxy on a free loopback port forwarding to `target`. `cutAfter(n)` cuts the next
 * connection once n bytes have come from the server; `holdAfter(line)` holds back what the
 * server sends after that line (on every connection) until `release()`; `retarget` points new
 * connections elsewhere; `dropAll` closes every connection.
 */
export class Proxy {
  private readonly server: net.Server;
  private readonly pairs = new Set<[net.Socket, net.Socket]>();
  private cut = -1;
  private hold: Buffer | null = null;
  private holdExtra = 0;
  private readonly held: (() => void)[] = [];
  port = 0;
  /** connections holding data back after the holdAfter line */
  holding = 0;
  connections = 0;
  cuts = 0;

  constructor(public target: number) {
    this.server = net.createServer((client) => this.accept(client));
  }

  async listen(): Promise<number> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    this.port = (this.server.address() as net.AddressInfo).port;
    return this.port;
  }

  cutAfter(bytes: number): void {
    this.cut = bytes;
  }

  /** Hold back what a server sends after the first line starting with `prefix` (up to its LF) and `extra` bytes more. */
  holdAfter(prefix: string, extra = 0): void {
    this.hold = Buffer.from(prefix, 'latin1');
    this.holdExtra = extra;
  }

  /** Stop holding: forward what was held back. */
  release(): void {
    this.hold = null;
    for (const f of this.held.splice(0)) f();
    this.holding = 0;
  }

  retarget(port: number): void {
    this.target = port;
  }

  dropAll(): void {
    for (const [a, b] of this.pairs) {
      a.destroy();
      b.destroy();
    }
    this.pairs.clear();
  }

  private accept(client: net.Socket): void {
    this.connections++;
    const upstream = net.createConnection({ host: '127.0.0.1', port: this.target });
    const pair: [net.Socket, net.Socket] = [client, upstream];
    this.pairs.add(pair);
    let limit = this.cut;
    this.cut = -1;
    let seen = 0;
    // holdAfter: what came since the connection opened (until the line), then what is held back
    let scanned: Buffer | null = this.hold ? Buffer.alloc(0) : null;
    let backlog: Buffer[] | null = null;
    const end = (): void => {
      client.destroy();
      upstream.destroy();
      this.pairs.delete(pair);
    };
    client.on('data', (d) => upstream.write(d));
    upstream.on('data', (d: Buffer) => {
      if (backlog) {
        backlog.push(d);
        return;
      }
      if (scanned !== null && this.hold) {
        const all = Buffer.concat([scanned, d]);
        const at = all.indexOf(this.hold);
        const lf = at >= 0 ? all.indexOf(10, at) : -1;
        if (lf < 0 || all.length - lf - 1 < this.holdExtra) scanned = all;
        else {
          const cutAt = d.length - (all.length - lf - 1 - this.holdExtra);
          backlog = [d.subarray(cutAt)];
          d = d.subarray(0, cutAt);
          scanned = null;
          this.holding++;
          this.held.push(() => {
            const rest = Buffer.concat(backlog!);
            backlog = null;
            if (!client.destroyed) client.write(rest);
          });
        }
      }
      if (limit >= 0 && seen + d.length >= limit) {
        client.write(d.subarray(0, Math.max(0, limit - seen)));
        limit = -1;
        this.cuts++;
        end();
        return;
      }
      seen += d.length;
      client.write(d);
    });
    client.on('error', end);
    upstream.on('error', end);
    client.on('close', end);
    upstream.on('close', end);
  }

  async close(): Promise<void> {
    this.dropAll();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

export { RespServer };

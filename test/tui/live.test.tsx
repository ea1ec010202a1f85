/**
 * The explorer following a real redis-server primary (`rdblens tui --replicaof`): the initial
 * sync's progress, the views over the follower's keyspace, figures that follow the primary's
 * writes, values of followed keys, replication status (commands applied, unsupported, stale
 * keys) and the link going down when the primary stops.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { render } from 'ink-testing-library';
import { App } from '../../src/tui/app.js';
import type { ExplorerOptions } from '../../src/tui/data/explorer.js';
import { encodeCommand, startRedis, type RedisHandle } from '../helpers/redis-server.js';
import { KEYS } from './harness.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Our own primary: disk-based sync (no diskless delay), on a free port. */
function startPrimary(): Promise<RedisHandle> {
  return startRedis({ args: ['--repl-diskless-sync', 'no'] });
}

function options(port: number): ExplorerOptions {
  return { files: [], replica: { host: '127.0.0.1', port }, now: Date.now(), separators: ':', depth: 3, escape: 'utf8' };
}

/** The App on a followed primary, with quick timings; frames and keys like test/tui/harness.tsx. */
function driveLive(port: number, columns = 100, rows = 30) {
  const r = render(<App options={options(port)} liveOptions={{ renderMs: 100, minRebuildMs: 200, reconnectMs: 200 }} />);
  Object.defineProperty(r.stdout, 'columns', { value: columns, configurable: true });
  Object.defineProperty(r.stdout, 'rows', { value: rows, configurable: true });
  r.stdout.emit('resize');
  const frame = (): string => r.lastFrame() ?? '';
  const waitFor = async (pred: string | RegExp | ((f: string) => boolean), timeoutMs = 20_000): Promise<string> => {
    const t = typeof pred === 'string' ? (f: string) => f.includes(pred) : pred instanceof RegExp ? (f: string) => pred.test(f) : pred;
    const start = Date.now();
    while (!t(frame())) {
      if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${String(pred)}; last frame:\n${frame()}`);
      await sleep(20);
    }
    return frame();
  };
  const press = async (...keys: string[]): Promise<void> => {
    for (const k of keys) {
      r.stdin.write(k);
      await sleep(60);
    }
  };
  return { frame, waitFor, press, history: () => [...r.frames], unmount: () => r.unmount() };
}

async function populate(r: RedisHandle, n: number, prefix = 'user'): Promise<void> {
  const cmds: Buffer[] = [];
  for (let i = 0; i < n; i++) cmds.push(encodeCommand(['SET', `${prefix}:${i}`, `value-${i}`]));
  cmds.push(encodeCommand(['HSET', 'cfg:main', 'a', '1', 'b', '2']));
  cmds.push(encodeCommand(['RPUSH', 'queue:jobs', 'j1', 'j2', 'j3']));
  cmds.push(encodeCommand(['SET', 'session:x', 'y', 'EX', '3600']));
  await r.pipe(Buffer.concat(cmds));
}

test('following a primary: overview, replication status, live updates, key detail from the engine', async () => {
  const primary = await startPrimary();
  let d: ReturnType<typeof driveLive> | null = null;
  try {
    await populate(primary, 200);
    d = driveLive(primary.port);
    // 200 user keys + hash + list + session
    let f = await d.waitFor(/203 keys · used_memory ≈ [\d.]+ [KM]iB · link up/);
    assert.match(f, /^rdblens 127\.0\.0\.1:\d+ /);
    f = await d.waitFor('Primary');
    assert.match(f, /Primary\s+127\.0\.0\.1:\d+ · link up · lag \d+ B · last I\/O \d+s ago/);
    assert.match(f, /Stream\s+\d+ commands applied · 0 unsupported · 0 stale keys/);
    assert.match(f, /Keys\s+203 in db 0 · 1 with a TTL/);
    assert.match(f, /Sync\s+replication from 127\.0\.0\.1:\d+ · RDB \d+ · written by Redis/);
    assert.match(f, /Memory by type/);
    assert.match(f, /string\s+\S+\s+[\d.]+%\s+201 /);

    // writes on the primary: the header follows within a render, the index within a rebuild
    const before = /used_memory ≈ ([\d.]+ [KM]iB)/.exec(f)![1];
    const cmds: Buffer[] = [];
    for (let i = 0; i < 300; i++) cmds.push(encodeCommand(['SET', `order:${i}`, 'x'.repeat(100)]));
    cmds.push(encodeCommand(['SET', 'big:one', 'B'.repeat(20_000)]));
    // a consumer group on a new stream (MKSTREAM): applied, nothing unsupported, no stale key
    cmds.push(encodeCommand(['XGROUP', 'CREATE', 'hll:visits', 'g1', '$', 'MKSTREAM']));
    await primary.pipe(Buffer.concat(cmds));
    f = await d.waitFor(/505 keys · used_memory/, 10_000);
    assert.doesNotMatch(f, new RegExp(`used_memory ≈ ${before} `));
    f = await d.waitFor(/Keys\s+505 in db 0/, 10_000);
    assert.match(f, /0 unsupported · 0 stale keys/);

    // Top keys over the rebuilt index: the big string written live comes first
    await d.press('3');
    f = await d.waitFor(/505 keys · by memory/);
    const first = f.split('\n').find((l) => /^›\s+1 /.test(l));
    assert.ok(first?.includes('big:one'), f);
    // its detail: the value from the engine, not from a dump by offset
    await d.press(KEYS.enter);
    f = await d.waitFor('MEMORY USAGE');
    assert.match(f, /Key\s+big:one/);
    assert.match(f, /Database\s+db 0 · written live from 127\.0\.0\.1:\d+/);
    assert.match(f, /Type\s+string · encoding raw/);
    assert.match(f, /BBBBBBBBBB/);
    // a key from the initial sync: read back from the RDB held in memory
    await d.press(KEYS.escape, '/');
    await d.press(...'cfg:*', KEYS.enter);
    await d.waitFor(/1 of 505 keys match cfg:\*/);
    await d.press(KEYS.enter);
    f = await d.waitFor('MEMORY USAGE');
    assert.match(f, /Key\s+cfg:main/);
    assert.match(f, /Database\s+db 0 · replication from 127\.0\.0\.1:\d+ at byte \d+/);
    assert.match(f, /a\s+1/);
    // the open key follows a write to it
    await primary.command('HSET', 'cfg:main', 'c', 'three');
    f = await d.waitFor(/c\s+three/, 10_000);
    assert.match(f, /Length\s+3 fields/);
  } finally {
    d?.unmount();
    await primary.stop();
  }
});

/**
 * A TCP proxy that passes the primary's bytes on slowly (32 KB every 20 ms), so that the
 * initial sync of a few MB takes long enough to be seen.
 */
async function slowProxy(target: number): Promise<{ port: number; close(): Promise<void> }> {
  const socks = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const up = net.createConnection({ host: '127.0.0.1', port: target });
    socks.add(client);
    socks.add(up);
    const queue: Buffer[] = [];
    const timer = setInterval(() => {
      let budget = 32 * 1024;
      while (budget > 0 && queue.length > 0) {
        const b = queue[0]!;
        const n = Math.min(budget, b.length);
        client.write(b.subarray(0, n));
        budget -= n;
        if (n === b.length) queue.shift();
        else queue[0] = b.subarray(n);
      }
    }, 20);
    const end = (): void => {
      clearInterval(timer);
      client.destroy();
      up.destroy();
    };
    client.on('data', (b) => up.write(b));
    up.on('data', (b: Buffer) => queue.push(b));
    for (const s of [client, up]) {
      s.on('error', end);
      s.on('close', end);
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: async () => {
      for (const s of socks) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

test('following a primary: the initial sync shows its progress; stopping the primary shows the link down', async () => {
  const primary = await startPrimary();
  let proxy: Awaited<ReturnType<typeof slowProxy>> | null = null;
  let d: ReturnType<typeof driveLive> | null = null;
  try {
    // ~3 MB of incompressible strings: about 2 s through the slow proxy
    const cmds: Buffer[] = [];
    for (let i = 0; i < 400; i++) cmds.push(encodeCommand(['SET', `blob:${i}`, randomBytes(5600).toString('base64')]));
    await primary.pipe(Buffer.concat(cmds));
    proxy = await slowProxy(primary.port);
    d = driveLive(proxy.port);
    await d.waitFor(/400 keys · used_memory ≈ [\d.]+ MiB · link up/, 30_000);
    const syncing = d.history().filter((h) => /Syncing\s+\S*\s+\d+%/.test(h) && /bytes\s+[\d.]+ (B|KiB|MiB) of [\d.]+ MiB/.test(h));
    assert.ok(syncing.length > 0, `no progress frame among ${d.history().length}:\n${d.history().slice(0, 5).join('\n---\n')}`);
    assert.ok(
      d.history().some((h) => /rdblens: following 127\.0\.0\.1:\d+/.test(h)),
      'the sync screen names the primary',
    );
    // the primary goes away: the link goes down, the data stays
    await primary.stop();
    const f = await d.waitFor(/400 keys · used_memory ≈ [\d.]+ MiB · link down/, 20_000);
    assert.match(f, /⚠ link to 127\.0\.0\.1:\d+ down/);
  } finally {
    d?.unmount();
    await proxy?.close();
    await primary.stop();
  }
});

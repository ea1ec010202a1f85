/**
 * `serve` and `tui` loading one dump on two threads (cli/split-load.ts) hold what one pass on the
 * main thread holds: every key with every field, the same analyses; a key in both parts keeps
 * the copy one pass keeps; a damaged dump is read again in one pass, so its keys are those before the
 * damage. And `rdblens serve` so loaded answers INFO keyspace as redis-server 7.0.15 does on the
 * same dump. The split is forced on these small files with RDBLENS_SPLIT_MIN=0.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RdbParser, type KeyRecord } from '../../src/rdb/index.js';
import { loadSources } from '../../src/source/load.js';
import type { LoadedDumps, LoadOptions } from '../../src/engine/load.js';
import type { KeyInfo } from '../../src/engine/keyspace.js';
import { openExplorer } from '../../src/tui/data/explorer.js';
import { splitReader } from '../../cli/split-load.js';
import { corpusPath } from '../helpers/corpus.js';
import { zeroTrailer } from '../helpers/load-check.js';
import { startRedis } from '../helpers/redis-server.js';
import { startServeProcess } from '../helpers/serve-process.js';
import { explorerOptions } from '../tui/harness.js';
import { ROOT } from './cli-helpers.js';

const NOW = Date.parse('2026-01-01T00:00:00Z');

async function forcedSplit<T>(fn: () => Promise<T>): Promise<T> {
  process.env.RDBLENS_SPLIT_MIN = '0';
  try {
    return await fn();
  } finally {
    delete process.env.RDBLENS_SPLIT_MIN;
  }
}

/** db -> the keys' records, sorted by key */
function keysOf(loaded: LoadedDumps): Map<number, KeyInfo[]> {
  const out = new Map<number, KeyInfo[]>();
  for (const [db, ks] of loaded.dbs) {
    if (ks.size === 0) continue;
    out.set(db, [...ks.sortedIds()].map((id) => ks.info(id)));
  }
  return out;
}

async function both(file: string): Promise<{ one: LoadedDumps; split: LoadedDumps }> {
  // one pass as on a dump of the split's size (its duplicate check deferred whole, as the split's is)
  const one = await forcedSplit(() => loadSources([file], { aggregate: { now: NOW } }));
  const split = await forcedSplit(() => {
    const o: LoadOptions = { aggregate: { now: NOW } };
    o.readFile = splitReader(o);
    let called = false;
    const read = o.readFile;
    o.readFile = (...args) => {
      const p = read(...args);
      called = p !== null;
      return p;
    };
    return loadSources([file], o).then((l) => {
      assert.ok(called, `${file}: read on two threads`);
      return l;
    });
  });
  return { one, split };
}

function sameLoad(one: LoadedDumps, split: LoadedDumps, what: string): void {
  assert.deepEqual(keysOf(split), keysOf(one), `${what}: the keys`);
  const [a, b] = [one.analyses[0]!, split.analyses[0]!];
  assert.equal(b.keysInFile, a.keysInFile, `${what}: keys in the file`);
  assert.deepEqual(b.aggregate.total, a.aggregate.total, `${what}: totals`);
  assert.deepEqual(b.aggregate.byDb, a.aggregate.byDb, `${what}: per db`);
  assert.deepEqual(b.aggregate.typeEncodings, a.aggregate.typeEncodings, `${what}: types and encodings`);
  assert.deepEqual(b.stats, a.stats, `${what}: MEMORY STATS`);
  assert.deepEqual(b.integrity, a.integrity, `${what}: load-time findings`);
  assert.equal(b.error?.code, a.error?.code, `${what}: error`);
  assert.deepEqual(b.libraries, a.libraries, `${what}: function libraries`);
}

const DUMPS = [
  path.join(ROOT, 'samples/demo.rdb'),
  corpusPath('generated/redis-7.0.15/mixed-large.rdb'),
  corpusPath('generated/redis-7.0.15/streams.rdb'),
  corpusPath('generated/redis-7.0.15/lists-compressed.rdb'),
  corpusPath('generated/valkey-8.0.1/mixed-large.rdb'),
];

test('serve\'s load on two threads holds every key and analysis one pass holds', { timeout: 300_000 }, async () => {
  for (const dump of DUMPS) {
    const { one, split } = await both(dump);
    assert.ok([...one.dbs.values()].some((ks) => ks.size > 0), dump);
    sameLoad(one, split, path.relative(ROOT, dump));
  }
});

function records(bytes: Buffer): KeyRecord[] {
  const keys: KeyRecord[] = [];
  const p = new RdbParser({ totalSize: bytes.length, onRecord: (r) => void (r.kind === 'key' && keys.push(r)) });
  p.write(bytes);
  p.end();
  return keys;
}

test('a key in both parts keeps its later copy; a damaged dump is read again in one pass', { timeout: 300_000 }, async () => {
  const demo = zeroTrailer(await readFile(path.join(ROOT, 'samples/demo.rdb')));
  const db0 = records(demo).filter((k) => k.db === 0);
  const first = db0[0]!;
  const last = db0[db0.length - 1]!;
  // db 0's first key again after its last: the head reads one copy, the tail the other
  const dup = Buffer.concat([demo.subarray(0, last.end), demo.subarray(first.offset, first.end), demo.subarray(last.end)]);
  const dir = await mkdtemp(path.join(tmpdir(), 'rdblens-split-load-'));
  try {
    const dupFile = path.join(dir, 'dup.rdb');
    await writeFile(dupFile, dup);
    const { one, split } = await both(dupFile);
    sameLoad(one, split, 'duplicate');
    // the first copy, as the load-time check keeps it (it reports the second)
    assert.equal(split.dbs.get(0)!.get(first.key)!.offset, first.offset);
    assert.equal(split.analyses[0]!.integrity.duplicates, 1);
    for (const share of [0.3, 0.8]) {
      const cut = path.join(dir, `cut-${share}.rdb`);
      await writeFile(cut, demo.subarray(0, Math.floor(demo.length * share)));
      const r = await both(cut);
      assert.equal(r.split.analyses[0]!.error?.code, 'unexpected_eof', `cut at ${share}`);
      sameLoad(r.one, r.split, `cut at ${share}`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the TUI\'s explorer on two threads: the same summary, keys and figures as it accrued', { timeout: 120_000 }, async () => {
  const dump = corpusPath('generated/redis-7.0.15/mixed-large.rdb');
  const one = await openExplorer(explorerOptions([dump]));
  let sofar = 0;
  const split = await forcedSplit(() =>
    openExplorer(explorerOptions([dump], { readerFor: splitReader }), (p) => {
      if (p.sofar) sofar = Math.max(sofar, p.sofar.byType.reduce((s, t) => s + t.keys, 0));
    }),
  );
  // the merged prefix tree is built another way (src/memory/split.ts): compare its nodes
  const { prefixes: p1, ...rest1 } = one.summary;
  const { prefixes: p2, ...rest2 } = split.summary;
  assert.deepEqual(rest2, rest1);
  const nodes = (t: typeof p1) => t.flatten().map((n) => ({ prefix: n.prefix, depth: n.depth, keys: n.keys, bytes: n.bytes }));
  assert.deepEqual(nodes(p2), nodes(p1));
  assert.equal(split.index.limit, one.index.limit);
  assert.deepEqual(keysOf(split.loaded), keysOf(one.loaded));
  assert.equal(sofar, one.summary.keys, 'the overview counted every key while they loaded');
});

test('rdblens serve on two threads: INFO keyspace and MEMORY USAGE as one pass, DBSIZE as redis-server 7.0.15', { timeout: 120_000 }, async () => {
  const dump = corpusPath('generated/redis-7.0.15/mixed-large.rdb');
  const dir = await mkdtemp(path.join(tmpdir(), 'rdblens-split-serve-'));
  await writeFile(path.join(dir, 'dump.rdb'), await readFile(dump));
  const redis = await startRedis({ dir });
  process.env.RDBLENS_SPLIT_MIN = '0';
  const split = await startServeProcess([dump, '--port', '0']).finally(() => delete process.env.RDBLENS_SPLIT_MIN);
  const one = await startServeProcess([dump, '--port', '0']);
  try {
    const { createClient } = await import('redis');
    const clients = [split, one].map((s) => createClient({ socket: { host: '127.0.0.1', port: s.port } }));
    await Promise.all(clients.map((c) => c.connect()));
    try {
      const [a, b] = clients as [ReturnType<typeof createClient>, ReturnType<typeof createClient>];
      const keyspace = (info: string) => info.split('\r\n').filter((l) => l.startsWith('db')).map((l) => l.replace(/,avg_ttl=\d+/, ''));
      const want = keyspace(String(await redis.command('INFO', 'keyspace')));
      assert.ok(want.length > 0);
      assert.deepEqual(keyspace(await a.info('keyspace')), want);
      assert.deepEqual(keyspace(await b.info('keyspace')), want);
      for (const line of want) {
        const db = Number(/^db(\d+)/.exec(line)![1]);
        await a.select(db);
        await b.select(db);
        assert.equal(await a.dbSize(), Number(/keys=(\d+)/.exec(line)![1]), `db${db}: DBSIZE`);
        for (const key of (await b.keys('*')).slice(0, 200)) assert.equal(await a.memoryUsage(key), await b.memoryUsage(key), key);
      }
    } finally {
      await Promise.all(clients.map((c) => c.quit()));
    }
  } finally {
    for (const s of [split, one]) process.kill(s.child.pid!, 'SIGTERM');
    await redis.stop();
    await rm(dir, { recursive: true, force: true });
  }
});

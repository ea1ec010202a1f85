/**
 * Stream MEMORY USAGE: the rax node count against XINFO STREAM FULL radix-tree-nodes, and
 * streamObjectSize (+ the key's own overhead) against MEMORY USAGE ... SAMPLES 0 of every
 * server in the corpus ground truth and of a live redis-server 7.0.15.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseRdbFile } from '../../src/rdb/index.js';
import type { StreamFacts } from '../../src/rdb/index.js';
import { raxNodeCount } from '../../src/memory/rax.js';
import { streamObjectSize } from '../../src/memory/stream.js';
import { mallocSize, mallocSizeQuantum8 } from '../../src/memory/jemalloc.js';
import { profile, type ProfileId, type ServerProfile } from '../../src/memory/profiles.js';
import { manifest, groundTruth, corpusPath, keyId } from '../helpers/corpus.js';
import { encodeCommand, startRedis, type RedisHandle, type RespReply } from '../helpers/redis-server.js';
import { rng } from '../helpers/rng.js';

const LOADER_PROFILE: Record<string, ProfileId> = {
  'redis-5.0.14': 'redis-5.0',
  'redis-6.2.16': 'redis-6.2',
  'redis-7.0.15': 'redis-7.0',
  'redis-7.2.6': 'redis-7.2',
  'valkey-8.0.1': 'valkey-8.0',
  'redis-7.4.1': 'redis-7.4',
  'redis-8.0-m01': 'redis-8.0',
};

/** zmalloc_size of the profile's build: bundled jemalloc (lg-quantum 3) everywhere but Debian's 7.0.15. */
function usable(n: number, p: ServerProfile): number {
  return p.build.jemallocQuantum === 8 ? mallocSizeQuantum8(n) : mallocSize(n);
}

/** sdsReqType header size for a string of `len` bytes (sds.h; 7.0 moved the type-8/16 limits). */
function sdsHdr(len: number, v: number): number {
  if (len === 0) return 3; // sdsnewlen never makes an empty SDS_TYPE_5
  if (len < 32) return 1;
  if (v >= 700) return len <= 255 - 4 ? 3 : len <= 65535 - 6 ? 5 : 9;
  return len < 256 ? 3 : len < 65536 ? 5 : 9;
}

/**
 * What memoryCommand (object.c) adds to objectComputeSize for the key itself, as far as this
 * test needs it (non-cluster servers). Only a local stand-in: the real one lives in the memory
 * core. 5.0: sdsAllocSize(key) (header + len + 1, not rounded) + sizeof(dictEntry);
 * 6.2 .. 8.0-m01: sdsZmallocSize(key) + sizeof(dictEntry); Valkey 8.0: the key is embedded in
 * the dict entry (dictEntryEmbedded: 17 header bytes + the key sds), counted as
 * zmalloc_size(entry) by dictEntryMemUsage(de), with no separate key sds.
 */
function keyOverhead(keyLen: number, p: ServerProfile): number {
  const sds = sdsHdr(keyLen, p.version) + keyLen + 1;
  if (p.valkey) return usable(17 + sds, p);
  if (p.version < 602) return sds + 24;
  return usable(sds, p) + 24;
}

interface CorpusStream {
  file: string;
  key: string;
  keyLen: number;
  facts: StreamFacts;
  radixNodes?: number;
  radixKeys?: number;
  usage: Record<string, number>;
}

let corpusStreams: Promise<CorpusStream[]> | null = null;

/** Every stream key the corpus servers hold, with its parser facts and ground truth. */
function loadCorpusStreams(): Promise<CorpusStream[]> {
  corpusStreams ??= (async () => {
    const out: CorpusStream[] = [];
    for (const f of manifest()) {
      if (f.kind === 'corrupt') continue;
      const gt = groundTruth(f);
      if (!gt.loaded_by) continue;
      const truth = (gt.keys ?? []).filter((k) => k.type === 'stream');
      if (truth.length === 0) continue;
      const facts = new Map<string, StreamFacts>();
      await parseRdbFile(corpusPath(f.rdb), {
        onRecord: (r) => {
          if (r.kind === 'key' && r.type === 'stream' && r.facts.stream) facts.set(keyId(r.db, r.key), r.facts.stream);
        },
      });
      for (const k of truth) {
        const key = Buffer.from(k.key_b64, 'base64');
        const s = facts.get(keyId(k.db, key));
        assert.ok(s, `${f.rdb}: no stream facts for ${k.key ?? k.key_b64}`);
        const usage: Record<string, number> = {};
        if (typeof k.memory_usage === 'number') usage[gt.loaded_by] = k.memory_usage;
        for (const [loader, mu] of Object.entries(k.memory_usage_by_loader ?? {})) if (typeof mu === 'number') usage[loader] = mu;
        const v = k.value as Record<string, unknown> | undefined;
        out.push({
          file: f.rdb,
          key: k.key ?? k.key_b64,
          keyLen: key.length,
          facts: s,
          radixNodes: typeof v?.['radix-tree-nodes'] === 'number' ? v['radix-tree-nodes'] : undefined,
          radixKeys: typeof v?.['radix-tree-keys'] === 'number' ? v['radix-tree-keys'] : undefined,
          usage,
        });
      }
    }
    return out;
  })();
  return corpusStreams;
}

test('stream node rax: raxNodeCount equals radix-tree-nodes of every corpus stream', async () => {
  const streams = await loadCorpusStreams();
  const withTruth = streams.filter((s) => s.radixNodes !== undefined);
  assert.ok(withTruth.length >= 50, `only ${withTruth.length} streams carry XINFO STREAM FULL`);
  for (const s of withTruth) {
    const what = `${s.file} ${s.key}`;
    assert.equal(s.facts.nodes, s.radixKeys, `${what}: radix-tree-keys`);
    assert.equal(s.facts.nodeKeys.length, 16 * s.facts.nodes, `${what}: node keys`);
    assert.equal(raxNodeCount(s.facts.nodeKeys), s.radixNodes, `${what}: radix-tree-nodes`);
  }
});

test('streamObjectSize + key overhead matches MEMORY USAGE of every corpus stream on every server', async () => {
  const streams = await loadCorpusStreams();
  const rel: Record<string, number[]> = {};
  const exact: Record<string, number> = {};
  const worst: Record<string, string> = {};
  for (const s of streams) {
    for (const [loader, truth] of Object.entries(s.usage)) {
      const id = LOADER_PROFILE[loader];
      assert.ok(id, `unknown loader ${loader}`);
      const p = profile(id);
      const ours = streamObjectSize(s.facts, p) + keyOverhead(s.keyLen, p);
      const err = Math.abs(ours - truth) / truth;
      (rel[loader] ??= []).push(err);
      if (ours === truth) exact[loader] = (exact[loader] ?? 0) + 1;
      else worst[loader] ??= `${s.file} ${s.key}: ours ${ours}, server ${truth}`;
    }
  }
  assert.deepEqual(Object.keys(rel).sort(), Object.keys(LOADER_PROFILE).sort(), 'every server has stream keys');
  for (const [loader, errs] of Object.entries(rel)) {
    errs.sort((a, b) => a - b);
    const median = errs[errs.length >> 1]!;
    const max = errs[errs.length - 1]!;
    const summary = `${loader}: ${errs.length} keys, ${exact[loader] ?? 0} exact, median ${(median * 100).toFixed(3)}%, max ${(max * 100).toFixed(3)}%${worst[loader] ? ` (first miss: ${worst[loader]})` : ''}`;
    assert.ok(median <= 0.005, summary);
    assert.ok(max <= 0.02, summary);
    // the model reproduces these servers byte for byte; keep it that way
    assert.equal(exact[loader], errs.length, summary);
  }
});

test('streamObjectSize: a million PEL entries over 100 consumers', () => {
  const n = 1_000_000;
  const pel = Buffer.alloc(16 * n);
  for (let i = 0; i < n; i++) {
    pel.writeUInt32BE(0x18c, 16 * i + 2); // ms high bits
    pel.writeUInt32BE(0x10000000 + Math.floor(i / 3), 16 * i + 4);
    pel.writeUInt32BE(i % 3, 16 * i + 12);
  }
  const consumers = Array.from({ length: 100 }, (_, c) => {
    const ids = Buffer.alloc(16 * (n / 100));
    for (let i = 0; i < n / 100; i++) pel.copy(ids, 16 * i, 16 * (i * 100 + c), 16 * (i * 100 + c) + 16);
    return { nameLength: 10, pelCount: n / 100, pelIds: ids };
  });
  const facts: StreamFacts = {
    nodes: 1,
    nodeKeys: pel.subarray(0, 16),
    nodeBytes: [4000],
    length: 100,
    lastId: '0-0',
    firstId: null,
    maxDeletedId: null,
    entriesAdded: null,
    groups: [{ nameLength: 5, pelCount: n, pelIds: pel, consumers }],
  };
  const size = streamObjectSize(facts, profile('redis-7.2'));
  assert.ok(size > n * 24, 'NACKs counted');
});

// ---------------------------------------------------------------- live redis-server 7.0.15

/** XINFO STREAM ... FULL as a map of its top-level fields. */
function fields(reply: RespReply): Map<string, RespReply> {
  assert.ok(Array.isArray(reply), `expected an array, got ${String(reply)}`);
  const m = new Map<string, RespReply>();
  for (let i = 0; i + 1 < reply.length; i += 2) m.set(String(reply[i]), reply[i + 1]!);
  return m;
}

async function ok(redis: RedisHandle, ...args: string[]): Promise<RespReply> {
  const r = await redis.command(...args);
  if (r instanceof Error) throw new Error(`${args.join(' ')}: ${r.message}`);
  return r;
}

/** Fill a server with streams of many shapes; returns their key names. */
async function fillStreams(redis: RedisHandle): Promise<string[]> {
  const r = rng(7);
  const cmds: Buffer[] = [];
  const send = (...a: string[]) => cmds.push(encodeCommand(a));
  const keys: string[] = [];

  // auto IDs, thousands of entries, same fields (SAMEFIELDS) and varied fields
  keys.push('s:auto');
  for (let i = 0; i < 6000; i++) send('XADD', 's:auto', '*', 'f', String(i), 'g', 'x'.repeat(i % 40));
  keys.push('s:varied');
  for (let i = 0; i < 2500; i++) {
    const a = ['XADD', 's:varied', '*'];
    const nf = 1 + Math.floor(r() * 6);
    for (let k = 0; k < nf; k++) a.push(`field${Math.floor(r() * 10)}`, r() < 0.3 ? String(Math.floor(r() * 1e9)) : 'v'.repeat(Math.floor(r() * 90)));
    send(...a);
  }
  // explicit IDs with gaps: seq runs, small and huge ms jumps
  keys.push('s:explicit');
  let ms = 1;
  let seq = 0;
  for (let i = 0; i < 4000; i++) {
    if (r() < 0.4) {
      ms += 1 + Math.floor(r() < 0.05 ? r() * 1e12 : r() * 500);
      seq = 0;
    } else seq += 1 + Math.floor(r() * 4);
    send('XADD', 's:explicit', `${ms}-${seq}`, 'n', String(i));
  }
  // small IDs, one per ms: the node rax branches low in the key
  keys.push('s:small');
  for (let i = 1; i <= 3000; i++) send('XADD', 's:small', `${i}-1`, 'a', 'b');
  // deletions and trimming
  keys.push('s:xdel');
  for (let i = 1; i <= 1500; i++) send('XADD', 's:xdel', `${1000 + i}-0`, 'k', String(i));
  for (let i = 1; i <= 1500; i += 3) send('XDEL', 's:xdel', `${1000 + i}-0`);
  keys.push('s:trim');
  for (let i = 0; i < 3000; i++) send('XADD', 's:trim', '*', 'k', String(i));
  send('XTRIM', 's:trim', 'MAXLEN', '1234');
  keys.push('s:emptied');
  send('XADD', 's:emptied', '5-5', 'a', '1');
  send('XDEL', 's:emptied', '5-5');
  keys.push('s:mkstream');
  send('XGROUP', 'CREATE', 's:mkstream', 'g', '$', 'MKSTREAM');
  keys.push('s:one');
  send('XADD', 's:one', '*', 'only', 'entry');
  await redis.pipe(Buffer.concat(cmds));
  cmds.length = 0;

  // consumer groups: many consumers, a large PEL, claims and acks
  keys.push('s:groups');
  for (let i = 0; i < 20000; i++) send('XADD', 's:groups', '*', 'job', String(i));
  send('XGROUP', 'CREATE', 's:groups', 'workers', '0');
  send('XGROUP', 'CREATE', 's:groups', 'auditors', '0');
  send('XGROUP', 'CREATE', 's:groups', 'idle', '$');
  for (let c = 0; c < 60; c++) send('XREADGROUP', 'GROUP', 'workers', `worker-${c}-${'n'.repeat(c % 13)}`, 'COUNT', String(50 + c * 5), 'STREAMS', 's:groups', '>');
  send('XREADGROUP', 'GROUP', 'auditors', 'a1', 'COUNT', '15000', 'STREAMS', 's:groups', '>');
  send('XGROUP', 'CREATECONSUMER', 's:groups', 'idle', 'nobody-yet');
  await redis.pipe(Buffer.concat(cmds));
  cmds.length = 0;

  // claim and ack a scattering of entries (IDs read back from the server)
  const pending = await ok(redis, 'XPENDING', 's:groups', 'workers', '-', '+', '3000');
  assert.ok(Array.isArray(pending));
  for (let i = 0; i < pending.length; i++) {
    const id = String((pending[i] as RespReply[])[0]);
    if (i % 5 === 0) send('XCLAIM', 's:groups', 'workers', `claimer-${i % 7}`, '0', id);
    else if (i % 5 === 1) send('XACK', 's:groups', 'workers', id);
  }
  const apend = await ok(redis, 'XPENDING', 's:groups', 'auditors', '-', '+', '15000');
  assert.ok(Array.isArray(apend));
  for (let i = 0; i < apend.length; i += 2) send('XACK', 's:groups', 'auditors', String((apend[i] as RespReply[])[0]));
  send('XDEL', 's:groups', String((apend[10] as RespReply[])[0]), String((apend[11] as RespReply[])[0]));
  await redis.pipe(Buffer.concat(cmds));
  return keys;
}

test('live redis-server 7.0.15: radix-tree-nodes and MEMORY USAGE after reloading its own dump', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rdblens-stream-'));
  let writer: RedisHandle | null = null;
  let reader: RedisHandle | null = null;
  t.after(async () => {
    await writer?.stop();
    await reader?.stop();
    await rm(dir, { recursive: true, force: true });
  });
  writer = await startRedis({ dir, args: ['--dbfilename', 'streams.rdb'] });
  const version = String(await ok(writer, 'INFO', 'server'));
  if (!/redis_version:7\.0\./.test(version)) {
    t.skip(`needs redis-server 7.0.x, found ${/redis_version:(\S+)/.exec(version)?.[1]}`);
    return;
  }
  const keys = await fillStreams(writer);
  const file = await writer.save();
  await writer.stop();
  writer = null;

  // a fresh server loads the dump: its streams are built the way RDB loading builds them
  reader = await startRedis({ dir, args: ['--dbfilename', 'streams.rdb'] });
  const facts = new Map<string, StreamFacts>();
  await parseRdbFile(file, {
    onRecord: (r) => {
      if (r.kind === 'key' && r.type === 'stream' && r.facts.stream) facts.set(r.key.toString('utf8'), r.facts.stream);
    },
  });
  const p = profile('redis-7.0');
  for (const key of keys) {
    const s = facts.get(key);
    assert.ok(s, `${key} missing from the dump`);
    const info = fields(await ok(reader, 'XINFO', 'STREAM', key, 'FULL', 'COUNT', '1'));
    assert.equal(s.nodes, info.get('radix-tree-keys'), `${key}: radix-tree-keys`);
    assert.equal(raxNodeCount(s.nodeKeys), info.get('radix-tree-nodes'), `${key}: radix-tree-nodes`);
    const usage = await ok(reader, 'MEMORY', 'USAGE', key, 'SAMPLES', '0');
    assert.equal(streamObjectSize(s, p) + keyOverhead(Buffer.byteLength(key), p), usage, `${key}: MEMORY USAGE`);
  }
  const groups = facts.get('s:groups')!.groups;
  assert.equal(groups.length, 3);
  assert.ok(groups.some((g) => g.pelCount > 5000 && g.consumers.length > 60), 'a large PEL spread over many consumers');
});

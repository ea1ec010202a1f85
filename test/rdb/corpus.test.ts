/**
 * Every corpus dump a real server loaded: keys, types, expiries, lengths and values must match
 * what that server reported (../shared/rdb-corpus ground truth).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readAllRecords, RdbError } from '../../src/rdb/index.js';
import type { KeyRecord, Value } from '../../src/rdb/index.js';
import { manifest, groundTruth, corpusPath, gtBytes, keyId, GtKey, GtBytes } from '../helpers/corpus.js';

/** Live keys in the corpus expire in 2027 or later; anything earlier was already expired at load. */
const LOAD_TIME = Date.UTC(2027, 0, 1);

/** Keys a server drops while loading: already expired, and empty collections (7.0+). */
function droppedOnLoad(r: KeyRecord): boolean {
  if (r.expireAt >= 0 && r.expireAt < LOAD_TIME) return true;
  return r.length === 0 && r.type !== 'string' && r.type !== 'stream';
}

const files = manifest().filter((f) => f.kind !== 'corrupt');

for (const f of files) {
  const gt = groundTruth(f);
  if (gt.loaded_by === null) continue; // covered below
  test(`corpus ${f.rdb}: keys, types, expiries, lengths${gt.keys?.some((k) => k.value !== undefined) ? ', values' : ''}`, async () => {
    const recs = await readAllRecords(corpusPath(f.rdb), { values: true });
    const ours = new Map<string, KeyRecord>();
    for (const r of recs) {
      if (r.kind !== 'key' || droppedOnLoad(r)) continue;
      const id = keyId(r.db, r.key);
      assert.ok(!ours.has(id), `duplicate key ${id}`);
      ours.set(id, r);
    }
    const truthKeys = gt.keys ?? [];
    assert.equal(ours.size, truthKeys.length, 'number of keys the server holds after loading');
    for (const k of truthKeys) {
      const id = keyId(k.db, Buffer.from(k.key_b64, 'base64'));
      const r = ours.get(id);
      assert.ok(r, `key ${k.key ?? k.key_b64} (db ${k.db}) missing`);
      const what = `${f.rdb} key ${k.key ?? k.key_b64}`;
      assert.equal(r.type, k.type, `${what}: type`);
      assert.equal(r.expireAt, k.pexpiretime, `${what}: expiry`);
      assert.equal(r.length, k.length, `${what}: length`);
      if (k.value !== undefined) compareValue(what, r.value!, k);
    }
    const eof = recs[recs.length - 1]!;
    assert.equal(eof.kind, 'eof');
    // the file's own key count, expired keys included, matches redis-check-rdb
    const counts = gt.redis_check_rdb?.counts;
    if (counts && gt.redis_check_rdb!.exit_code === 0) {
      assert.equal(recs.filter((r) => r.kind === 'key').length, counts.keys_read, 'keys in the file (redis-check-rdb)');
    }
  });
}

test('corpus files no server here loads: modules, Valkey 9, malformed', async () => {
  const ok = async (rel: string) => (await readAllRecords(corpusPath(rel), { values: true })).filter((r): r is KeyRecord => r.kind === 'key');

  // RDB 8 with ReJSON module values: skipped through the module opcodes, reported as type module
  const mod = await ok('public/redis-rdb-tools/redis_40_with_module.rdb');
  assert.equal(mod.length, 2);
  const modules = mod.filter((r) => r.type === 'module');
  assert.ok(modules.length >= 1);
  for (const m of modules) assert.equal(m.facts.module?.name, 'ReJSON-RL');

  // module aux data: skipped, announced as a record
  const auxRecs = await readAllRecords(corpusPath('public/redis-rdb-tools/redis_60_with_module_aux.rdb'));
  const aux = auxRecs.find((r) => r.kind === 'module-aux');
  assert.ok(aux && aux.kind === 'module-aux');
  assert.equal(aux.moduleName, 'test__rdb');

  // Valkey 9 (VALKEY080) hash with per-field TTLs
  const vk = await ok('public/hdt3213-rdb/valkey_hash2_with_hfe.rdb');
  assert.equal(vk.length, 1);
  const h = vk[0]!;
  assert.equal(h.type, 'hash');
  assert.equal(h.length, 3);
  assert.ok(h.value?.type === 'hash');
  assert.deepEqual(
    h.value.value.map((e) => [e.field.toString(), e.value.toString(), e.expireAt > 0]),
    [
      ['F1', 'V1', true],
      ['F2', 'V2', true],
      ['F3', 'V3', false],
    ],
  );
  assert.equal(h.facts.fieldTtl?.fieldsWithTtl, 2);

  // malformed: a typed error with an offset, never a crash
  for (const rel of ['public/node-rdb-tools/error_reporting.rdb', 'public/redis-tests-assets/corrupt_ziplist.rdb']) {
    const err = await readAllRecords(corpusPath(rel)).then(
      () => null,
      (e: unknown) => e,
    );
    assert.ok(err instanceof RdbError, `${rel}: expected an RdbError, got ${String(err)}`);
    assert.ok(err.offset > 0);
  }
});

// ------------------------------------------------------------------ value comparison

function sortBuffers(a: Buffer[]): Buffer[] {
  return [...a].sort(Buffer.compare);
}

function hex(b: Buffer): string {
  return b.toString('hex');
}

function compareValue(what: string, v: Value, k: GtKey): void {
  const gv = k.value as Record<string, unknown> | unknown[];
  switch (v.type) {
    case 'string': {
      const g = gv as { b64?: string; length?: number; b64_head?: string; sha256?: string };
      if (g.b64 !== undefined) assert.equal(v.value.toString('base64'), g.b64, `${what}: string value`);
      else {
        assert.equal(v.value.length, g.length, `${what}: string length`);
        assert.equal(v.value.subarray(0, 64).toString('base64'), g.b64_head, `${what}: string head`);
      }
      return;
    }
    case 'list':
      assert.deepEqual(v.value.map(hex), (gv as GtBytes[]).map((x) => hex(gtBytes(x))), `${what}: list elements`);
      return;
    case 'set':
      assert.deepEqual(sortBuffers(v.value).map(hex), sortBuffers((gv as GtBytes[]).map(gtBytes)).map(hex), `${what}: set members`);
      return;
    case 'hash': {
      const g = gv as { pairs: [GtBytes, GtBytes][]; field_pexpiretime?: [GtBytes, number][] };
      const ours = [...v.value].sort((a, b) => Buffer.compare(a.field, b.field));
      assert.deepEqual(
        ours.map((e) => [hex(e.field), hex(e.value)]),
        g.pairs.map(([a, b]) => [hex(gtBytes(a)), hex(gtBytes(b))]),
        `${what}: hash pairs`,
      );
      const ttl = new Map((g.field_pexpiretime ?? []).map(([f, t]) => [hex(gtBytes(f)), t]));
      for (const e of ours) assert.equal(e.expireAt, ttl.get(hex(e.field)) ?? -1, `${what}: TTL of field ${e.field}`);
      return;
    }
    case 'zset': {
      const g = gv as [GtBytes, number | string][];
      const score = (s: number | string): number => (s === 'inf' ? Infinity : s === '-inf' ? -Infinity : s === '-0' ? -0 : Number(s));
      const order = (a: [Buffer, number], b: [Buffer, number]) => a[1] - b[1] || Buffer.compare(a[0], b[0]);
      const ours = [...v.value].sort(order).map(([m, s]) => [hex(m), s]);
      const theirs = g.map(([m, s]) => [gtBytes(m), score(s)] as [Buffer, number]).sort(order).map(([m, s]) => [hex(m), s]);
      assert.deepEqual(ours, theirs, `${what}: zset members and scores`);
      return;
    }
    case 'stream': {
      const g = gv as {
        length: number;
        'last-generated-id': string;
        'max-deleted-entry-id'?: string;
        'entries-added'?: number;
        'recorded-first-entry-id'?: string;
        entries: [string, GtBytes[]][];
        groups: {
          name: GtBytes;
          'last-delivered-id': string;
          'entries-read'?: number | null;
          'pel-count'?: number;
          /** 6.0+ (XINFO STREAM FULL) */
          pending?: [string, GtBytes, unknown, number][];
          /** 5.0 (composed from XPENDING) */
          pel?: [string, GtBytes, unknown, number][];
          /** pending: the PEL (6.0+) or its size (5.0) */
          consumers: { name: GtBytes; 'pel-count'?: number; pending?: [string, number, number][] | number }[];
        }[];
      };
      const s = v.value;
      assert.equal(s.length, g.length, `${what}: stream length`);
      assert.equal(s.lastId, g['last-generated-id'], `${what}: last id`);
      if (g['max-deleted-entry-id'] !== undefined) assert.equal(s.maxDeletedId, g['max-deleted-entry-id'], `${what}: max deleted id`);
      if (g['entries-added'] !== undefined) assert.equal(s.entriesAdded, g['entries-added'], `${what}: entries added`);
      if (g['recorded-first-entry-id'] !== undefined) assert.equal(s.firstId, g['recorded-first-entry-id'], `${what}: first id`);
      assert.deepEqual(
        s.entries.map((e) => [e.id, e.fields.map(hex)]),
        g.entries.map(([id, f]) => [id, f.map((x) => hex(gtBytes(x)))]),
        `${what}: stream entries`,
      );
      assert.equal(s.groups.length, g.groups.length, `${what}: groups`);
      const groups = [...s.groups].sort((a, b) => Buffer.compare(a.name, b.name));
      const gg = [...g.groups].sort((a, b) => Buffer.compare(gtBytes(a.name), gtBytes(b.name)));
      groups.forEach((grp, i) => {
        const t = gg[i]!;
        assert.equal(hex(grp.name), hex(gtBytes(t.name)), `${what}: group name`);
        assert.equal(grp.lastId, t['last-delivered-id'], `${what}: group last id`);
        if (t['entries-read'] !== undefined) assert.equal(grp.entriesRead, t['entries-read'], `${what}: group entries-read`);
        const pel = t.pending ?? t.pel;
        if (pel) {
          assert.deepEqual(
            grp.pending.map((p) => [p.id, p.consumer ? hex(p.consumer) : null, p.deliveryCount]),
            pel.map(([id, c, , n]) => [id, hex(gtBytes(c)), n]),
            `${what}: group PEL`,
          );
        }
        const cons = [...grp.consumers].sort((a, b) => Buffer.compare(a.name, b.name));
        const tc = [...t.consumers].sort((a, b) => Buffer.compare(gtBytes(a.name), gtBytes(b.name)));
        assert.deepEqual(cons.map((c) => hex(c.name)), tc.map((c) => hex(gtBytes(c.name))), `${what}: consumers`);
        cons.forEach((c, j) => {
          const tcj = tc[j]!;
          if (typeof tcj.pending === 'number') assert.equal(c.pending.length, tcj.pending, `${what}: consumer PEL size`);
          else if (tcj.pending) assert.deepEqual(c.pending, tcj.pending.map((p) => p[0]), `${what}: consumer PEL`);
        });
      });
      return;
    }
    case 'module':
      return;
  }
}


/**
 * Big keys stream: a live read holds no value whole. A real redis-server 7.0.15 holds a 200 MiB
 * string (incompressible: one random MiB repeated, farther apart than LZF's 8 KiB window) and a
 * list of 2 M random 60-byte elements (a payload of about 130 MB); `rdblens csv redis://…` runs
 * as a child process, and its peak resident set (VmHWM, written at exit by
 * test/helpers/maxrss-hook.mjs, which says why not process.resourceUsage().maxRSS) grows,
 * against a run before the big keys were written, by far less than either payload. The rows
 * equal the SAVEd dump's, key for key; the same through TLS and the ACL user allowed only SCAN
 * DUMP PTTL TYPE INFO OBJECT.
 *
 * Measured: a read holding each DUMP reply whole grew by twice the biggest payload (50/150/450
 * MiB strings: +100/+290/+886 MiB); streamed, by 20 to 60 MiB whatever the size (Buffers
 * awaiting collection: V8 collects external memory in steps of tens of MiB).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { encodeCommand, makeTlsCerts, needProgram, startRedis, type RedisHandle } from '../helpers/redis-server.js';
import { parseCsv, rdblens, rdblensProcess } from '../cli/cli-helpers.js';
import { rng } from '../helpers/rng.js';
import { dataPipe } from './data.js';

const NOW = ['--now', String(Date.now())];
const MIB = 1 << 20;
const STRING_MIB = 200;
const LIST_ELEMENTS = 2_000_000;
const ELEMENT_BYTES = 60;
/** growth of the peak RSS allowed for a read of the big keys (each payload is over 120 MB; whole, 2x that) */
const GROWTH_MAX = 80 * MIB;

const HOOK = pathToFileURL(path.join(import.meta.dirname, '../helpers/maxrss-hook.mjs')).href;

/** `rdblens csv` in a child process: its rows (header first, the rest sorted) and its peak RSS in bytes. */
async function csvPeak(args: string[]): Promise<{ rows: string[][]; maxRss: number }> {
  const run = await rdblensProcess(['csv', '--extra', '-q', ...NOW, ...args], { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${HOOK}`.trim() });
  assert.equal(run.code, 0, run.stderr);
  const m = /rdblens-test-peak-rss-kib=(\d+) maxrss-kib=\d+\n$/.exec(run.stderr);
  assert.ok(m, `no peak RSS line in: ${run.stderr.slice(-500)}`);
  return { rows: sorted(parseCsv(run.stdout)), maxRss: Number(m[1]) * 1024 };
}

function sorted(r: string[][]): string[][] {
  const header = r.shift()!;
  return [header, ...r.sort((a, b) => (a.join('\u0000') < b.join('\u0000') ? -1 : 1))];
}

async function dumpRows(dump: string, extra: string[] = []): Promise<string[][]> {
  const r = await rdblens(['csv', '--extra', '-q', ...NOW, dump, ...extra]);
  assert.equal(r.code, 0, r.stderr);
  return sorted(parseCsv(r.stdout));
}

/** The 200 MiB string and the 2 M-element list, written through redis-cli --pipe. */
async function writeBigKeys(r: RedisHandle): Promise<void> {
  const next = rng(15);
  const block = Buffer.allocUnsafe(MIB);
  for (let i = 0; i < MIB; i++) block[i] = Math.floor(next() * 256);
  const cmds: Buffer[] = [];
  for (let i = 0; i < STRING_MIB; i++) cmds.push(encodeCommand([Buffer.from('APPEND'), Buffer.from('big:string'), block]));
  await r.pipe(Buffer.concat(cmds));
  cmds.length = 0;
  const per = 1000;
  const elem = Buffer.allocUnsafe(per * ELEMENT_BYTES);
  for (let c = 0; c < LIST_ELEMENTS / per; c++) {
    // printable random elements: not integers, not compressible by LZF in a listpack node
    for (let i = 0; i < elem.length; i++) elem[i] = 33 + Math.floor(next() * 94);
    const args: Buffer[] = [Buffer.from('RPUSH'), Buffer.from('big:list')];
    for (let i = 0; i < per; i++) args.push(Buffer.from(elem.subarray(i * ELEMENT_BYTES, (i + 1) * ELEMENT_BYTES)));
    cmds.push(encodeCommand(args));
    if (cmds.length === 200) {
      await r.pipe(Buffer.concat(cmds));
      cmds.length = 0;
    }
  }
  if (cmds.length > 0) await r.pipe(Buffer.concat(cmds));
  assert.equal(await r.command('STRLEN', 'big:string'), STRING_MIB * MIB);
  assert.equal(await r.command('LLEN', 'big:list'), LIST_ELEMENTS);
}

/** The big keys' rows (by the key column) and their sizes (bytes column). */
function bigRows(rows: string[][]): string[][] {
  const out = rows.filter((row) => row[2] === 'big:string' || row[2] === 'big:list');
  assert.equal(out.length, 2, 'both big keys are listed');
  return out;
}

test('a 200 MiB string and a 2 M-element list stream: peak RSS grows by far less than either, rows equal the dump', { timeout: 600_000 }, async () => {
  const r = await startRedis();
  try {
    await r.pipe(dataPipe({ otherDb: true }));
    const url = `redis://127.0.0.1:${r.port}`;
    const before = await csvPeak([url]);
    await writeBigKeys(r);
    const after = await csvPeak([url]);
    const dump = await r.save();
    const fromDump = await dumpRows(dump);
    assert.deepEqual(after.rows, fromDump);
    const big = bigRows(after.rows);
    for (const row of big) assert.ok(Number(row[3]) > 120 * 1e6, `${row[2]}: ${row[3]} bytes`);
    const growth = after.maxRss - before.maxRss;
    process.stderr.write(`bigkeys: peak RSS ${(before.maxRss / MIB).toFixed(0)} MiB before the big keys, ${(after.maxRss / MIB).toFixed(0)} MiB with them (growth ${(growth / MIB).toFixed(1)} MiB)\n`);
    assert.ok(growth < GROWTH_MAX, `peak RSS grew by ${(growth / MIB).toFixed(1)} MiB reading keys of ${big.map((x) => x[3]).join(' and ')} bytes`);
  } finally {
    await r.stop();
  }
});

test('big keys stream through TLS and the restricted ACL user too', { timeout: 600_000 }, async (t) => {
  if (!needProgram('openssl', t)) return;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rdblens-tls-'));
  const certs = await makeTlsCerts(dir);
  const r = await startRedis({ tls: certs });
  try {
    await r.pipe(dataPipe({ otherDb: false }));
    assert.equal(await r.command('ACL', 'SETUSER', 'scanner', 'on', '>s3cret', '~*', 'resetchannels', '-@all', '+scan', '+dump', '+pttl', '+type', '+info', '+object'), 'OK');
    const url = `rediss://scanner:s3cret@127.0.0.1:${r.port}`;
    const before = await csvPeak([url, '--tls-ca', certs.ca]);
    await writeBigKeys(r);
    const after = await csvPeak([url, '--tls-ca', certs.ca]);
    const fromDump = await dumpRows(await r.save());
    // PTTL (the user may not run PEXPIRETIME): the expiry and ttl columns may differ by the anchor's ms
    const strip = (rows: string[][]) => rows.map((row) => [...row.slice(0, 7), row[8], ...row.slice(10)]);
    assert.deepEqual(strip(after.rows), strip(fromDump));
    assert.deepEqual(bigRows(after.rows), bigRows(fromDump));
    const growth = after.maxRss - before.maxRss;
    process.stderr.write(`bigkeys (TLS, ACL user): peak RSS growth ${(growth / MIB).toFixed(1)} MiB\n`);
    assert.ok(growth < GROWTH_MAX, `peak RSS grew by ${(growth / MIB).toFixed(1)} MiB`);
  } finally {
    await r.stop();
    await rm(dir, { recursive: true, force: true });
  }
});

test('a source whose first key streams: the header waits for its footer, rows and report equal the dump', { timeout: 120_000 }, async () => {
  const r = await startRedis();
  try {
    // the only key: the RDB header's version comes from its payload, read once for the footer
    // and DUMPed again; 3 MiB of random bytes (over STREAM_MIN, 1 MiB), with an exact expiry
    const next = rng(7);
    const v = Buffer.allocUnsafe(3 * MIB);
    for (let i = 0; i < v.length; i++) v[i] = Math.floor(next() * 256);
    assert.equal(await r.command('SET', 'only:big', v, 'PXAT', String(Date.now() + 3_600_000)), 'OK');
    const url = `redis://127.0.0.1:${r.port}`;
    const dump = await r.save();
    const live = await csvPeak([url]);
    assert.deepEqual(live.rows, await dumpRows(dump));
    assert.equal(live.rows.length, 2);
    assert.ok(Number(live.rows[1]![3]) > 3 * MIB);
    const rep = async (src: string) => {
      const out = await rdblens(['report', '--json', '-q', ...NOW, src]);
      assert.equal(out.code, 0, out.stderr);
      const j = JSON.parse(out.stdout) as { files: Array<{ rdb_version: number }>; total: unknown; ttl: unknown };
      return { versions: j.files.map((f) => f.rdb_version), total: j.total, ttl: j.ttl };
    };
    const a = await rep(url);
    assert.deepEqual(a, await rep(dump));
    assert.deepEqual(a.versions, [10]);
  } finally {
    await r.stop();
  }
});

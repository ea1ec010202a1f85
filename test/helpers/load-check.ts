/**
 * What redis-check-rdb and redis-server 7.0.15 make of a dump's bytes (the references of the
 * load-time checks: test/rdb/load-checks.test.ts, test/cli/load-checks.test.ts).
 */
import { test } from 'node:test';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startRedis } from './redis-server.js';

const execFileP = promisify(execFile);

let tmp = '';
async function tmpDir(): Promise<string> {
  tmp ||= await mkdtemp(path.join(os.tmpdir(), 'rdblens-load-checks-'));
  return tmp;
}
test.after(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

/** redis-check-rdb's verdict on the bytes. */
export async function checkRdb(bytes: Buffer): Promise<{ ok: boolean; out: string }> {
  const f = path.join(await tmpDir(), 'check.rdb');
  await writeFile(f, bytes);
  try {
    const r = await execFileP('redis-check-rdb', [f]);
    return { ok: true, out: r.stdout };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    return { ok: false, out: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}

/** redis-server started on the bytes as its dump.rdb: did it load, how many keys, what it skipped. */
export async function serverLoad(bytes: Buffer, args: string[] = []): Promise<{ loaded: boolean; keys: number; emptySkipped: number; log: string }> {
  const dir = await mkdtemp(path.join(await tmpDir(), 'srv-'));
  await writeFile(path.join(dir, 'dump.rdb'), bytes);
  let r;
  try {
    // no crash report or memory test after a panic: the log tail keeps the reason
    r = await startRedis({ dir, args: ['--crash-log-enabled', 'no', '--crash-memcheck-enabled', 'no', ...args] });
  } catch (e) {
    return { loaded: false, keys: 0, emptySkipped: 0, log: (e as Error).message };
  }
  try {
    const info = String(await r.command('INFO', 'keyspace'));
    const keys = [...info.matchAll(/db\d+:keys=(\d+)/g)].reduce((s, m) => s + Number(m[1]), 0);
    const log = r.logTail();
    const m = /empty keys skipped: (\d+)/.exec(log);
    return { loaded: true, keys, emptySkipped: m ? Number(m[1]) : 0, log };
  } finally {
    await r.stop();
  }
}

/** rdbchecksum no: a zero trailer, which Redis does not check ("checksum disabled"). */
export function zeroTrailer(b: Buffer): Buffer {
  const out = Buffer.from(b);
  out.fill(0, out.length - 8);
  return out;
}


/** A dump written by redis-server 7.0.15: small listpack hash and zset, an intset, an LZF string. */
export async function baseDump(): Promise<Buffer> {
  const r = await startRedis();
  try {
    await r.command('SET', 'a', '1');
    await r.command('SET', 'b', 'x'.repeat(30)); // compressible: LZF
    await r.command('HSET', 'h', 'f1', 'v1', 'f2', 'v2');
    await r.command('ZADD', 'z', '1', 'm1', '2', 'm2');
    await r.command('SADD', 's', '1', '2', '3');
    return await readFile(await r.save());
  } finally {
    await r.stop();
  }
}


/**
 * SYNC's replication stream against redis-server 7.0.15's: after the RDB bulk, the same writes
 * give the same commands (SELECT on a db change, MULTI/EXEC around an EXEC's writes, a DEL per
 * evicted key after the EXEC that set the limit, the DEL of a lazily expired key).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { serve } from '../resp/helpers.js';
import { startRedis } from '../helpers/redis-server.js';
import { RespDecoder } from '../helpers/resp.js';

/** SYNC on a raw socket: the RDB bulk is skipped, then every command of the stream is collected */
function attach(port: number): Promise<{ commands: string[][]; close(): void }> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    const commands: string[][] = [];
    let buf = Buffer.alloc(0);
    let rdbLeft = -1;
    const dec = new RespDecoder();
    sock.on('error', reject);
    sock.on('connect', () => sock.write('SYNC\r\n'));
    sock.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      if (rdbLeft < 0) {
        // newlines before the bulk are the primary's keepalives
        while (buf.length > 0 && buf[0] === 0x0a) buf = buf.subarray(1);
        const nl = buf.indexOf('\r\n');
        if (nl < 0) return;
        assert.equal(String.fromCharCode(buf[0]!), '$', `not a bulk: ${buf.toString('latin1', 0, nl)}`);
        rdbLeft = Number(buf.toString('latin1', 1, nl));
        buf = buf.subarray(nl + 2);
        resolve({ commands, close: () => sock.destroy() });
      }
      if (rdbLeft > 0) {
        const n = Math.min(rdbLeft, buf.length);
        rdbLeft -= n;
        buf = buf.subarray(n);
        if (rdbLeft > 0) return;
      }
      for (const r of dec.push(buf)) commands.push((r as unknown as Buffer[]).map((a) => String(a)));
      buf = Buffer.alloc(0);
    });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function script(cmd: (...a: string[]) => Promise<unknown>, port: number): Promise<string[][]> {
  const stream = await attach(port);
  try {
    await cmd('SELECT', '9');
    await cmd('SET', 'asdf1', '1');
    await cmd('SET', 'asdf2', '2');
    await cmd('GET', 'asdf1');
    await cmd('SET', 'gone', 'x', 'PX', '1');
    await sleep(20);
    await cmd('GET', 'gone');
    await cmd('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru');
    await cmd('MULTI');
    await cmd('INCR', 'x');
    await cmd('CONFIG', 'SET', 'maxmemory', '1');
    await cmd('INCR', 'x');
    await cmd('EXEC');
    for (let i = 0; i < 100 && Number(await cmd('DBSIZE')) !== 0; i++) await sleep(10);
    await cmd('CONFIG', 'SET', 'maxmemory', '0');
    await cmd('CONFIG', 'SET', 'maxmemory-policy', 'noeviction');
    await cmd('SELECT', '3');
    await cmd('SET', 'k3', 'v');
    await sleep(100);
    return stream.commands;
  } finally {
    stream.close();
  }
}

/** the evicted keys' order is the policy's draw: compare their DELs (asdf1, asdf2, x) as a set */
function normalise(cmds: string[][]): string[] {
  const out = cmds.map((c) => c.join(' ').replace(/^set gone x PX 1$/i, 'set gone x <px>').replace(/^set gone x PXAT \d+$/i, 'set gone x <px>'));
  const evicted = /^DEL (asdf\d|x)$/i;
  const dels = out.filter((c) => evicted.test(c)).sort();
  let k = 0;
  return out.map((c) => (evicted.test(c) ? dels[k++]! : c)).map((c) => c.replace(/^(\S+)/, (m) => m.toLowerCase()));
}

test('SYNC: the replication stream of writes, an expiry, an EXEC and the evictions it started, as redis-server 7.0.15 sends it', async () => {
  const redis = await startRedis();
  const ours = await serve();
  try {
    const theirs = await script((...a) => redis.command(...a), redis.port);
    const mine = await script((...a) => ours.command(...a), ours.port);
    // Redis rewrites SET … PX to SET … PXAT (rdblens sends it as received): normalised here
    assert.deepEqual(normalise(mine), normalise(theirs));
    assert.ok(theirs.some((c) => c[0]!.toLowerCase() === 'exec'), JSON.stringify(theirs));
  } finally {
    await ours.stop();
    process.kill(redis.pid);
  }
});

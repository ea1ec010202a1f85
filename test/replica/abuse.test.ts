/**
 * A primary that misbehaves: garbage handshake replies, lying or absurd payload lengths, a
 * wrong diskless EOF mark, a corrupt or truncated RDB, a malformed command stream, a line that
 * never ends. Each must leave a clear error in INFO (rdblens_last_error), a reconnect, no crash,
 * no hang and no allocation sized by the lie; the server keeps answering its clients.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { follow, waitFor } from './helpers.js';

const DEMO = readFileSync(fileURLToPath(new URL('../../samples/demo.rdb', import.meta.url)));

/** A fake primary: answers the handshake with +OK, then PSYNC with `psync(conn#)` bytes. */
async function fakePrimary(psync: (n: number) => Buffer | string): Promise<{ port: number; connections: () => number; close: () => Promise<void> }> {
  let n = 0;
  const socks = new Set<net.Socket>();
  const srv = net.createServer((s) => {
    const id = ++n;
    socks.add(s);
    s.on('close', () => socks.delete(s));
    s.on('error', () => {});
    let buf = '';
    s.on('data', (d) => {
      buf += d.toString('latin1');
      // one reply per command line of the handshake (commands arrive as multibulk)
      for (;;) {
        const m = /^\*(\d+)\r\n/.exec(buf);
        if (!m) return;
        let p = m[0].length;
        const args: string[] = [];
        for (let i = 0; i < Number(m[1]); i++) {
          const l = /^\$(\d+)\r\n/.exec(buf.slice(p));
          if (!l) return;
          const len = Number(l[1]);
          if (buf.length < p + l[0].length + len + 2) return;
          args.push(buf.slice(p + l[0].length, p + l[0].length + len));
          p += l[0].length + len + 2;
        }
        buf = buf.slice(p);
        const cmd = args[0]!.toUpperCase();
        if (cmd === 'PSYNC') s.write(psync(id));
        else if (cmd === 'PING') s.write('+PONG\r\n');
        else if (cmd === 'REPLCONF' && args[1]?.toUpperCase() === 'ACK') continue;
        else s.write('+OK\r\n');
      }
    });
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  return {
    port: (srv.address() as net.AddressInfo).port,
    connections: () => n,
    close: async () => {
      for (const s of socks) s.destroy();
      await new Promise<void>((r) => srv.close(() => r()));
    },
  };
}

const REPLID = 'a'.repeat(40);
const full = (payload: Buffer | string): Buffer => Buffer.concat([Buffer.from(`+FULLRESYNC ${REPLID} 0\r\n`), Buffer.from(payload as string, 'latin1')]);

const CASES: [string, (n: number) => Buffer | string, RegExp][] = [
  ['garbage PSYNC reply', () => '+WHATEVER\r\n', /PSYNC: \+WHATEVER/],
  ['an absurd payload length', () => full('$99999999999999999999\r\n'), /bad bulk payload length/],
  ['a payload length beyond what comes, then silence', () => Buffer.concat([full(`$${DEMO.length * 10}\r\n`), DEMO]), /timeout: nothing from the primary/],
  ['a wrong EOF mark', () => Buffer.concat([full(`$EOF:${'b'.repeat(40)}\r\n`), DEMO, Buffer.from('c'.repeat(40))]), /not followed by its EOF mark/],
  ['a corrupt RDB', () => { const bad = Buffer.from(DEMO); bad.fill(0x41, 200, 400); return Buffer.concat([full(`$${bad.length}\r\n`), bad]); }, /replication from/],
  ['a malformed command stream', () => Buffer.concat([full(`$${DEMO.length}\r\n`), DEMO, Buffer.from('*2\r\n$3\r\nSET\r\n$-7\r\nxx\r\n*abc\r\n')]), /Protocol error|invalid/],
  ['a reply line that never ends', () => full('x'.repeat(200_000)), /reply line over/],
];

for (const [name, psync, error] of CASES) {
  test(`a primary sending ${name}: a clear error, a reconnect, the server still serves`, { timeout: 30_000 }, async () => {
    const p = await fakePrimary(psync);
    // repl-timeout at 1 s: a primary that goes silent mid-transfer is dropped
    const f = await follow(p.port, { timeoutMs: 1000 });
    try {
      await waitFor('a reconnect', () => p.connections() >= 2 || f.follower.link.syncs.reconnects >= 1, 15_000);
      await waitFor('an error', () => f.follower.link.lastError !== '', 15_000);
      assert.match(f.follower.link.lastError, error);
      assert.equal(String(await f.command('PING')), 'PONG');
      const info = String(await f.command('INFO', 'replication'));
      assert.match(info, /master_link_status:down|master_link_status:up/);
      assert.match(info, /rdblens_last_error:\S/);
    } finally {
      await f.stop();
      await p.close();
    }
  });
}

test('a demo RDB from a fake primary loads, then the stream applies', { timeout: 30_000 }, async () => {
  const p = await fakePrimary(() => Buffer.concat([full(`$${DEMO.length}\r\n`), DEMO, Buffer.from('*3\r\n$3\r\nSET\r\n$9\r\nfrom:fake\r\n$1\r\n1\r\n')]));
  const f = await follow(p.port);
  try {
    await f.follower.firstSync;
    await waitFor('the SET', async () => String(await f.command('GET', 'from:fake')) === '1');
    // the SET's 35 bytes, from offset 0
    assert.equal(f.follower.link.offset, 35);
    // the demo dump's db0 (5,672 keys, none expired: no TTL in it has passed) and the SET
    assert.equal(await f.command('DBSIZE'), 5673);
  } finally {
    await f.stop();
    await p.close();
  }
});

const cmd = (...a: string[]): string => `*${a.length}\r\n${a.map((x) => `$${x.length}\r\n${x}\r\n`).join('')}`;

test('an unsupported command (a module command, say) is counted and its key marked stale, never a crash', { timeout: 30_000 }, async () => {
  // a 7.0 primary propagates nothing the follower lacks (consumer groups were the last), so the
  // example is a command of a module this server does not have
  const stream = cmd('SET', 'k', 'hello') + cmd('MODULE.WRITE', 'k', 'x') + cmd('SET', 'after', '1');
  const p = await fakePrimary(() => Buffer.concat([full(`$${DEMO.length}\r\n`), DEMO, Buffer.from(stream, 'latin1')]));
  const f = await follow(p.port);
  try {
    await f.follower.firstSync;
    await waitFor('the last SET', async () => String(await f.command('GET', 'after')) === '1');
    const info = String(await f.command('INFO', 'replication'));
    assert.match(info, /rdblens_unsupported_commands:1/);
    assert.match(info, /rdblens_unsupported:module\.write=1/);
    assert.match(info, /rdblens_stale_keys:1/);
    assert.equal(String(await f.command('GET', 'k')), 'hello');
  } finally {
    await f.stop();
    await p.close();
  }
});

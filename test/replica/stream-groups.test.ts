/**
 * The follower applies what a 7.0 primary propagates for stream consumer groups: XGROUP
 * CREATE/SETID/DESTROY/CREATECONSUMER/DELCONSUMER and XACK as sent, XREADGROUP as XCLAIM …
 * TIME RETRYCOUNT FORCE JUSTID LASTID per delivered entry (XGROUP SETID … ENTRIESREAD and
 * XGROUP CREATECONSUMER with NOACK), XCLAIM and XAUTOCLAIM as XCLAIMs (a deleted entry's
 * included). Nothing is unsupported, no key is stale, every key equals the primary's (and a real
 * replica's) in type, length and MEMORY USAGE, and the groups read as a real replica's (XINFO
 * STREAM FULL: PEL delivery times are propagated; consumers' seen times are the replica's own;
 * entries-read is not propagated by XREADGROUP, so a replica's can differ from the primary's).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertEqualToPrimary, caughtUp, follow, realReplica, replicaCaughtUp, startPrimary } from './helpers.js';
import { maskTimes } from '../resp/diff-gen-cgroups.js';
import type { RespReply } from '../helpers/redis-server.js';

const show = (x: RespReply): unknown =>
  x instanceof Error ? `ERR:${x.message}` : Buffer.isBuffer(x) ? x.toString('latin1') : Array.isArray(x) ? x.map(show) : x;

/** XINFO STREAM FULL with only the consumers' seen times masked (the PEL's times are the primary's) */
function seenMasked(v: unknown): unknown {
  const full = maskTimes(['XINFO', 'STREAM', 'k', 'FULL'], v) as unknown[];
  const orig = v as unknown[];
  // put the PEL delivery times back: only seen-time must differ
  const gi = orig.indexOf('groups');
  const groups = (orig[gi + 1] as unknown[][]).map((g, n) => {
    const masked = (full[gi + 1] as unknown[][])[n]!;
    const pi = g.indexOf('pending');
    const out = [...masked];
    out[pi + 1] = g[pi + 1];
    const ci = g.indexOf('consumers');
    out[ci + 1] = (g[ci + 1] as unknown[][]).map((c) => c.map((x, j) => (c[j - 1] === 'seen-time' ? 0 : x)));
    return out;
  });
  const res = [...orig];
  res[gi + 1] = groups;
  return res;
}

test('a follower applies XGROUP, XREADGROUP, XACK, XCLAIM, XAUTOCLAIM as a 7.0 primary propagates them: 0 unsupported, 0 stale', { timeout: 90_000 }, async () => {
  const r = await startPrimary();
  const f = await follow(r.port);
  const rep = await realReplica(r);
  try {
    await f.follower.firstSync;
    const cmds: string[][] = [];
    for (let i = 1; i <= 120; i++) cmds.push(['XADD', 's', `${i}-0`, 'f', String(i), ...(i % 7 === 0 ? ['extra', 'x'.repeat(i)] : [])]);
    cmds.push(['XGROUP', 'CREATE', 's', 'g1', '0'], ['XGROUP', 'CREATE', 's', 'g2', '$'], ['XGROUP', 'CREATE', 'empty', 'g', '$', 'MKSTREAM', 'ENTRIESREAD', '0']);
    cmds.push(['XREADGROUP', 'GROUP', 'g1', 'alice', 'COUNT', '30', 'STREAMS', 's', '>']);
    cmds.push(['XREADGROUP', 'GROUP', 'g1', 'bob', 'COUNT', '20', 'STREAMS', 's', '>']);
    cmds.push(['XREADGROUP', 'GROUP', 'g1', 'carol', 'COUNT', '10', 'NOACK', 'STREAMS', 's', '>']);
    cmds.push(['XREADGROUP', 'GROUP', 'g1', 'alice', 'STREAMS', 's', '0']); // history: redelivery counts
    cmds.push(['XACK', 's', 'g1', '1-0', '2-0', '3-0', '40-0', '99-0']);
    cmds.push(['XCLAIM', 's', 'g1', 'dave', '0', '4-0', '5-0', '31-0', 'RETRYCOUNT', '7', 'IDLE', '5000']);
    cmds.push(['XCLAIM', 's', 'g1', 'erin', '0', '6-0', '100-0', 'FORCE', 'JUSTID', 'LASTID', '70-0']);
    cmds.push(['XDEL', 's', '7-0', '8-0', '32-0']);
    cmds.push(['XAUTOCLAIM', 's', 'g1', 'frank', '0', '0', 'COUNT', '12']);
    cmds.push(['XAUTOCLAIM', 's', 'g1', 'frank', '0', '0', 'COUNT', '5', 'JUSTID']);
    cmds.push(['XGROUP', 'CREATECONSUMER', 's', 'g2', 'idle'], ['XGROUP', 'SETID', 's', 'g2', '50-0', 'ENTRIESREAD', '50']);
    cmds.push(['XREADGROUP', 'GROUP', 'g2', 'x', 'NOACK', 'COUNT', '5', 'STREAMS', 's', '>']);
    cmds.push(['XREADGROUP', 'GROUP', 'g2', 'y', 'COUNT', '5', 'STREAMS', 's', 's', '>', '>']);
    cmds.push(['XGROUP', 'DELCONSUMER', 's', 'g1', 'bob']);
    cmds.push(['XGROUP', 'CREATE', 's', 'doomed', '0'], ['XREADGROUP', 'GROUP', 'doomed', 'z', 'STREAMS', 's', '>'], ['XGROUP', 'DESTROY', 's', 'doomed']);
    cmds.push(['XTRIM', 's', 'MAXLEN', '100'], ['XSETID', 's', '200-0', 'ENTRIESADDED', '500', 'MAXDELETEDID', '150-0']);
    cmds.push(['XAUTOCLAIM', 's', 'g1', 'gina', '0', '0', 'COUNT', '50']);
    for (const c of cmds) {
      const rep2 = await r.command(...c);
      assert.ok(!(rep2 instanceof Error), `${c.join(' ')}: ${String(rep2)}`);
    }
    await caughtUp(r, f);
    const info = String(await f.command('INFO', 'replication'));
    assert.match(info, /rdblens_unsupported_commands:0/, info);
    assert.match(info, /rdblens_stale_keys:0/, info);
    assert.equal(f.follower.engineErrors, 0);
    assert.equal(await assertEqualToPrimary(r, f, [0], rep), 2);
    await replicaCaughtUp(r, rep);
    for (const k of ['s', 'empty']) {
      const [a, b, c] = await Promise.all([r, f, rep].map((x) => x.command('MEMORY', 'USAGE', k, 'SAMPLES', '0')));
      // exactly what a real replica that applied the same stream reports
      assert.equal(b, c, `MEMORY USAGE ${k}: primary ${String(a)} real replica ${String(c)} follower ${String(b)}`);
      const full = ['XINFO', 'STREAM', k, 'FULL', 'COUNT', '0'];
      const [fa, fb] = [await rep.command(...full), await f.command(...full)];
      assert.deepEqual(seenMasked(show(fb)), seenMasked(show(fa)), `XINFO STREAM ${k} FULL`);
      // entries-read is not in what XREADGROUP propagates: a real replica's, not the primary's
      assert.deepEqual(show(await f.command('XINFO', 'GROUPS', k)), show(await rep.command('XINFO', 'GROUPS', k)));
    }
    // the groups the follower holds answer as the primary's
    const [pa, pb] = [show(await r.command('XPENDING', 's', 'g1', '-', '+', '100')) as unknown[][], show(await f.command('XPENDING', 's', 'g1', '-', '+', '100')) as unknown[][]];
    assert.ok(pa.length > 5);
    // ID, owner and delivery count (the idle time is measured at each)
    assert.deepEqual(pb.map((e) => [e[0], e[1], e[3]]), pa.map((e) => [e[0], e[1], e[3]]));
    assert.deepEqual(show(await f.command('XPENDING', 's', 'g1')), show(await r.command('XPENDING', 's', 'g1')));
  } finally {
    await f.stop();
    await rep.stop();
    await r.stop();
  }
});

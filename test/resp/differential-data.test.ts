/**
 * The differential test of the data commands of issue #12 (strings/bitmaps, HyperLogLog,
 * hashes, sets, generic edge cases): two seeded command streams go to a private redis-server
 * 7.0.15 and to rdblens serve; replies must be identical (errors included) except for the
 * random picks of SRANDMEMBER/HRANDFIELD, compared by shape (length, uniqueness, membership,
 * the whole collection when the count covers it); MEMORY USAGE must agree after every write
 * (the generator's MEMORY USAGE calls, then every key at the end).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startRedis, type RespReply } from '../helpers/redis-server.js';
import { serve } from './helpers.js';
import { memoryAgrees } from '../helpers/memory-agrees.js';
import { Rng, nextDataCommand, RANDOM_REPLY } from './diff-gen-data.js';

const show = (x: RespReply): unknown =>
  x instanceof Error ? `ERR:${x.message}` : Buffer.isBuffer(x) ? x.toString('latin1') : Array.isArray(x) ? x.map(show) : x;

const UNORDERED = new Set(['SUNION', 'SDIFF', 'SINTER']);

/**
 * SORT over a set with BY: Redis walks the set's dict, so ties (equal or missing weights) and
 * BY nosort come out in dict order; compared as multisets (with LIMIT: the count).
 */
const unorderedSort = (cmd: string[]): boolean => (cmd[0] === 'SORT' || cmd[0] === 'SORT_RO') && cmd.includes('BY') && cmd[1]!.startsWith('t:');
const countOnly = (cmd: string[]): boolean => unorderedSort(cmd) && cmd.includes('LIMIT');

/** the checkable part of a random reply */
function shape(cmd: string[], v: unknown): unknown {
  if (!Array.isArray(v)) return typeof v === 'string' && !v.startsWith('ERR:') ? 'bulk' : v;
  const count = Number(cmd[2]);
  const withvalues = cmd.length === 4;
  const names = withvalues ? v.filter((_, i) => i % 2 === 0) : v;
  return { n: v.length, unique: count > 0 ? new Set(names).size === names.length : 'n/a' };
}

const COUNT = Number(process.env.DIFF_COMMANDS ?? 2500);

for (const seed of [20261203, 7]) {
  test(`differential (data commands, seed ${seed}): ${COUNT} commands, replies and MEMORY USAGE vs redis-server 7.0`, { timeout: 300_000 }, async () => {
    const redis = await startRedis({ args: ['--enable-debug-command', 'yes'] });
    const ours = await serve([], { target: 'redis-7.0' });
    try {
      const r = new Rng(seed);
      const failures: string[] = [];
      let memChecks = 0;
      const history: string[] = [];
      /** per command: runs, error replies, non-empty replies (the generator's coverage; DIFF_VERBOSE prints it) */
      const tally = new Map<string, [number, number, number]>();
      /** the last commands that named the key, for a failure's message */
      const past = (k: string): string => history.filter((h) => h.split(' ').includes(k)).slice(-4).join(' | ').slice(0, 400);
      for (let i = 0; i < COUNT && failures.length <= 20; i++) {
        const cmd = nextDataCommand(r);
        const [a, b] = await Promise.all([redis.command(...cmd), ours.command(...cmd)]);
        const name = cmd[0]!;
        history.push(cmd.join(' ').slice(0, 120));
        const t = tally.get(name) ?? [0, 0, 0];
        t[0]++;
        if (a instanceof Error) t[1]++;
        else if (a !== null && !(Array.isArray(a) && a.length === 0) && a !== 0) t[2]++;
        tally.set(name, t);
        if (name === 'MEMORY') {
          if (a === null || a instanceof Error || b === null) {
            if (JSON.stringify(show(a)) !== JSON.stringify(show(b))) failures.push(`#${i} ${cmd.join(' ')}: redis ${String(a)} ours ${String(b)}`);
            continue;
          }
          memChecks++;
          const enc = String(await redis.command('OBJECT', 'ENCODING', cmd[2]!));
          if (!(await memoryAgrees(redis, cmd[2]!, enc, a as number, b as number))) failures.push(`#${i} ${cmd.join(' ')} (${enc}): redis ${String(a)} ours ${String(b)}`);
          continue;
        }
        if (name === 'DUMP' && Buffer.isBuffer(a)) {
          // hashtable sets/hashes: Redis writes dict order, so compare content via RESTORE instead
          const enc = String(await redis.command('OBJECT', 'ENCODING', cmd[1]!));
          if (enc !== 'hashtable' && !(Buffer.isBuffer(b) && a.equals(b))) failures.push(`#${i} DUMP ${cmd[1]} (${enc}) payloads differ [after: ${past(cmd[1]!)}]`);
          const dst = `r:${r.int(3)}`;
          const opts = [[], ['REPLACE'], ['REPLACE', 'ABSTTL'], ['IDLETIME', '10', 'REPLACE'], ['FREQ', '300'], ['FREQ', '5', 'IDLETIME', '3']][r.int(6)]!;
          const ttl = r.pick(['0', '0', '100000', '-1', 'x']);
          const bad = r.int(8) === 0 ? Buffer.concat([a.subarray(0, a.length - 1), Buffer.from([a[a.length - 1]! ^ 1])]) : a;
          const rc = ['RESTORE', dst, ttl, bad, ...opts];
          const [ra, rb] = await Promise.all([redis.command(...rc), ours.command(...rc)]);
          if (JSON.stringify(show(ra)) !== JSON.stringify(show(rb))) failures.push(`#${i} RESTORE ${dst} ${ttl} ${opts.join(' ')}: redis ${JSON.stringify(show(ra))} ours ${JSON.stringify(show(rb))}`);
          continue;
        }
        let want = show(a);
        let got = show(b);
        if (RANDOM_REPLY.has(name)) {
          want = shape(cmd, want);
          got = shape(cmd, got);
        } else if (countOnly(cmd) && Array.isArray(want) && Array.isArray(got)) {
          want = want.length;
          got = got.length;
        } else if ((UNORDERED.has(name) || unorderedSort(cmd)) && Array.isArray(want) && Array.isArray(got)) {
          want = [...want].sort();
          got = [...got].sort();
        }
        if (JSON.stringify(want) !== JSON.stringify(got)) {
          failures.push(`#${i} ${cmd.join(' ').slice(0, 140)}: redis ${JSON.stringify(want).slice(0, 300)} ours ${JSON.stringify(got).slice(0, 300)} [after: ${past(cmd[1] ?? '')}]`);
        }
      }
      const keys = ((await redis.command('KEYS', '*')) as Buffer[]).map((k) => k.toString());
      for (const k of keys) {
        const [a, b, enc] = await Promise.all([redis.command('MEMORY', 'USAGE', k, 'SAMPLES', '0'), ours.command('MEMORY', 'USAGE', k, 'SAMPLES', '0'), redis.command('OBJECT', 'ENCODING', k)]);
        memChecks++;
        if (!(await memoryAgrees(redis, k, String(enc), a as number, b as number))) failures.push(`final ${k} (${String(enc)}): redis ${String(a)}, ours ${String(b)}`);
        const [ga, gb] = await Promise.all([redis.command('TYPE', k), ours.command('TYPE', k)]);
        if (String(ga) === 'string') {
          const [va, vb] = await Promise.all([redis.command('GET', k), ours.command('GET', k)]);
          if (!Buffer.isBuffer(va) || !Buffer.isBuffer(vb) || !va.equals(vb)) failures.push(`final GET ${k} differs`);
        } else if (String(ga) !== String(gb)) failures.push(`final TYPE ${k}: ${String(ga)} vs ${String(gb)}`);
      }
      if (process.env.DIFF_VERBOSE) console.log([...tally].sort().map(([k, [n, e, f]]) => `${k} ${n} (${e} errors, ${f} non-empty)`).join('\n'));
      assert.ok(memChecks > COUNT / 20, `only ${memChecks} MEMORY USAGE checks`);
      assert.deepEqual(failures, []);
    } finally {
      await ours.stop();
      await redis.stop();
    }
  });
}

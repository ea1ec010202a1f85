/**
 * `rdblens json`, run as a real process (tsx, no build needed) on the shared corpus, checked
 * against the servers' ground truth in ../shared/rdb-corpus (see its README.md).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { unescapeBytes, type EscapeMode } from '../../src/report/escape.js';
import { runJson } from '../../cli/commands/json.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CORPUS = fileURLToPath(new URL('../../../shared/rdb-corpus/', import.meta.url));
const haveCorpus = existsSync(CORPUS);
const PKG = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run the CLI from source; `onStdout` may close the pipe early. */
function rdblens(args: string[], onStdout?: (chunk: Buffer, child: ReturnType<typeof spawn>) => void): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'cli/rdblens.ts', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => {
      out.push(c);
      onStdout?.(c, child);
    });
    child.stdout.on('error', () => {});
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
  });
}

function lines(text: string): string[] {
  return text.split('\n').filter((l) => l.length > 0);
}

interface OutKey {
  db: number;
  key: string;
  type: string;
  encoding: string;
  expiry: number | null;
  expiry_iso: string | null;
  length: number;
  offset: number;
  value?: unknown;
}

type GtBytes = string | { b64: string };
interface GtKey {
  db: number;
  key_b64: string;
  key?: string;
  type: string;
  pexpiretime: number;
  length: number;
  value?: unknown;
}
interface GroundTruth {
  keys: GtKey[];
  redis_check_rdb: { counts: { keys_read: number; already_expired: number } };
}

const gtBytes = (v: GtBytes): Buffer => (typeof v === 'string' ? Buffer.from(v, 'utf8') : Buffer.from(v.b64, 'base64'));
const b64 = (s: unknown): Buffer => Buffer.from(s as string, 'base64');
const hexOf = (b: Buffer): string => b.toString('hex');

/** Scores: numbers, or the strings "inf", "-inf", "-0", "nan". */
function score(v: unknown): number {
  if (typeof v === 'number') return v;
  return ({ inf: Infinity, '-inf': -Infinity, '-0': -0, nan: NaN } as Record<string, number>)[v as string] ?? Number(v);
}

function loadTruth(rel: string): GroundTruth {
  return JSON.parse(readFileSync(CORPUS + rel.replace(/\.rdb$/, '.json'), 'utf8')) as GroundTruth;
}

/** Compare one --escape base64 value with the ground truth value of the same key. */
function assertValue(type: string, ours: unknown, gt: unknown, what: string): void {
  switch (type) {
    case 'string': {
      const g = gt as { b64?: string; length?: number; sha256?: string; b64_head?: string };
      const bytes = b64(ours);
      if (g.b64 !== undefined) assert.equal(hexOf(bytes), hexOf(b64(g.b64)), what);
      else {
        assert.equal(bytes.length, g.length, what);
        assert.equal(createHash('sha256').update(bytes).digest('hex'), g.sha256, what);
      }
      return;
    }
    case 'list':
      assert.deepEqual((ours as string[]).map((s) => hexOf(b64(s))), (gt as GtBytes[]).map((e) => hexOf(gtBytes(e))), what);
      return;
    case 'set': {
      const sorted = (a: Buffer[]): string[] => a.sort(Buffer.compare).map(hexOf);
      assert.deepEqual(sorted((ours as string[]).map(b64)), sorted((gt as GtBytes[]).map(gtBytes)), what);
      return;
    }
    case 'zset': {
      // rank order: by score, then member bytes (the file holds skiplists in reverse)
      const norm = (a: [Buffer, number][]): [string, number][] =>
        a.sort((x, y) => x[1] - y[1] || Buffer.compare(x[0], y[0])).map(([m, s]) => [hexOf(m), s]);
      const o = norm((ours as [string, unknown][]).map(([m, s]) => [b64(m), score(s)]));
      const g = norm((gt as [GtBytes, unknown][]).map(([m, s]) => [gtBytes(m), score(s)]));
      assert.equal(o.length, g.length, what);
      for (let i = 0; i < o.length; i++) {
        assert.equal(o[i]![0], g[i]![0], `${what} member ${i}`);
        assert.ok(Object.is(o[i]![1], g[i]![1]), `${what} score ${i}: ${o[i]![1]} vs ${g[i]![1]}`);
      }
      return;
    }
    case 'hash': {
      const o = ours as { pairs: [string, string][]; field_expiry?: [string, number][] };
      const g = gt as { pairs: [GtBytes, GtBytes][]; field_pexpiretime?: [GtBytes, number][] };
      const byField = <T>(a: [Buffer, T][]): [string, T][] => a.sort((x, y) => Buffer.compare(x[0], y[0])).map(([f, v]) => [hexOf(f), v]);
      assert.deepEqual(
        byField(o.pairs.map(([f, v]) => [b64(f), hexOf(b64(v))])),
        byField(g.pairs.map(([f, v]) => [gtBytes(f), hexOf(gtBytes(v))])),
        what,
      );
      assert.deepEqual(
        byField((o.field_expiry ?? []).map(([f, ms]) => [b64(f), ms])),
        byField((g.field_pexpiretime ?? []).map(([f, ms]) => [gtBytes(f), ms])),
        `${what} field expiry`,
      );
      return;
    }
    case 'stream': {
      const o = ours as {
        length: number;
        last_id: string;
        first_id: string | null;
        max_deleted_id: string | null;
        entries_added: number | null;
        entries: [string, string[]][];
        groups: {
          name: string;
          last_id: string;
          entries_read: number | null;
          pending: [string, string | null, number, number][];
          consumers: { name: string; seen_time: number; active_time: number | null; pending: string[] }[];
        }[];
      };
      const g = gt as Record<string, unknown> & {
        entries: [string, GtBytes[]][];
        groups: (Record<string, unknown> & { name: GtBytes; pending: [string, GtBytes, number, number][]; consumers: (Record<string, unknown> & { name: GtBytes; pending: [string, number, number][] })[] })[];
      };
      assert.equal(o.length, g['length'], what);
      assert.equal(o.last_id, g['last-generated-id'], what);
      if ('max-deleted-entry-id' in g) assert.equal(o.max_deleted_id, g['max-deleted-entry-id'], what);
      if ('entries-added' in g) assert.equal(o.entries_added, g['entries-added'], what);
      assert.deepEqual(
        o.entries.map(([id, f]) => [id, f.map((x) => hexOf(b64(x)))]),
        g.entries.map(([id, f]) => [id, f.map((x) => hexOf(gtBytes(x)))]),
        `${what} entries`,
      );
      assert.equal(o.groups.length, g.groups.length, `${what} groups`);
      const ogroups = [...o.groups].sort((x, y) => Buffer.compare(b64(x.name), b64(y.name)));
      const ggroups = [...g.groups].sort((x, y) => Buffer.compare(gtBytes(x.name), gtBytes(y.name)));
      ogroups.forEach((og, i) => {
        const gg = ggroups[i]!;
        const w = `${what} group ${i}`;
        assert.equal(hexOf(b64(og.name)), hexOf(gtBytes(gg.name)), w);
        assert.equal(og.last_id, gg['last-delivered-id'], w);
        if ('entries-read' in gg) assert.equal(og.entries_read, gg['entries-read'], w);
        assert.deepEqual(
          og.pending.map(([id, c, t, n]) => [id, c === null ? null : hexOf(b64(c)), t, n]),
          gg.pending.map(([id, c, t, n]) => [id, hexOf(gtBytes(c)), t, n]),
          `${w} pending`,
        );
        const oc = [...og.consumers].sort((x, y) => Buffer.compare(b64(x.name), b64(y.name)));
        const gc = [...gg.consumers].sort((x, y) => Buffer.compare(gtBytes(x.name), gtBytes(y.name)));
        assert.deepEqual(
          oc.map((c) => [hexOf(b64(c.name)), c.seen_time, c.pending]),
          gc.map((c) => [hexOf(gtBytes(c.name)), c['seen-time'], c.pending.map(([id]) => id)]),
          `${w} consumers`,
        );
      });
      return;
    }
    default:
      assert.fail(`${what}: unexpected type ${type}`);
  }
}

/** Every key the ground truth lists is in our output with the same type, length, expiry and value. */
async function checkAgainstTruth(rel: string): Promise<void> {
  const gt = loadTruth(rel);
  const run = await rdblens(['json', '--values', '--escape', 'base64', CORPUS + rel]);
  assert.equal(run.stderr, '');
  assert.equal(run.code, 0);
  const out = lines(run.stdout).map((l) => JSON.parse(l) as OutKey);
  const { keys_read, already_expired } = gt.redis_check_rdb.counts;
  assert.equal(out.length, keys_read, 'one line per key in the file');
  assert.equal(already_expired, 0);
  const byKey = new Map(out.map((k) => [`${k.db}/${k.key}`, k]));
  assert.equal(byKey.size, out.length, 'no key twice');
  for (const g of gt.keys) {
    const what = `${rel} db${g.db} ${g.key ?? g.key_b64}`;
    const o = byKey.get(`${g.db}/${g.key_b64}`);
    assert.ok(o, `${what}: missing`);
    assert.equal(o.type, g.type, what);
    assert.equal(o.length, g.length, what);
    assert.equal(o.expiry, g.pexpiretime === -1 ? null : g.pexpiretime, what);
    assert.equal(o.expiry_iso, g.pexpiretime === -1 ? null : new Date(g.pexpiretime).toISOString(), what);
    assert.equal(typeof o.offset, 'number');
    assert.equal(typeof o.encoding, 'string');
    assertValue(g.type, o.value, g.value, what);
  }
}

const TRUTH_FILES = [
  'generated/redis-7.2.6/hashes.rdb',
  'generated/redis-7.0.15/strings.rdb',
  'generated/redis-7.4.1/hashes-ttl.rdb',
  'generated/redis-7.2.6/lists.rdb',
  'generated/redis-7.2.6/sets.rdb',
  'generated/redis-7.2.6/zsets.rdb',
  'generated/redis-7.2.6/streams.rdb',
  'generated/redis-7.2.6/expiry.rdb',
  'generated/redis-7.2.6/multi-db.rdb',
];

for (const rel of TRUTH_FILES) {
  test(`json --values --escape base64 matches the ground truth: ${rel}`, { skip: !haveCorpus && 'corpus missing' }, async () => {
    await checkAgainstTruth(rel);
  });
}

test('default escape (utf8): UTF-8 keys and values as text, other bytes recoverable', { skip: !haveCorpus && 'corpus missing' }, async () => {
  for (const rel of ['generated/redis-7.0.15/strings.rdb', 'generated/redis-7.2.6/hashes.rdb']) {
    const gt = loadTruth(rel);
    const run = await rdblens(['json', '--values', CORPUS + rel]);
    assert.equal(run.code, 0);
    const out = lines(run.stdout).map((l) => JSON.parse(l) as OutKey);
    const byBytes = new Map(out.map((k) => [`${k.db}/${unescapeBytes(k.key, 'utf8').toString('base64')}`, k]));
    for (const g of gt.keys) {
      const o = byBytes.get(`${g.db}/${g.key_b64}`);
      assert.ok(o, `${rel} ${g.key_b64}`);
      if (g.key !== undefined && !g.key.includes('\\')) assert.equal(o.key, g.key);
      if (g.key === undefined) assert.match(o.key, /\\x[0-9a-f]{2}/);
      const v = g.value as { utf8?: string; b64?: string } | undefined;
      if (g.type === 'string' && v?.b64 !== undefined) {
        assert.equal(unescapeBytes(o.value as string, 'utf8').toString('base64'), v.b64);
        if (v.utf8 !== undefined && !v.utf8.includes('\\')) assert.equal(o.value, v.utf8);
      }
    }
  }
  // the key with the invalid UTF-8 bytes ff fe fd 80 and its value "invalid utf8 \xc3( value"
  const run = await rdblens(['json', '--values', CORPUS + 'generated/redis-7.0.15/strings.rdb']);
  const bad = lines(run.stdout).map((l) => JSON.parse(l) as OutKey).find((k) => k.key === '\\xff\\xfe\\xfd\\x80');
  assert.ok(bad);
  assert.equal(bad.value, 'invalid utf8 \\xc3( value');
  assert.ok(run.stdout.includes('"key":"\\\\xff\\\\xfe\\\\xfd\\\\x80"'), 'the JSON text holds \\\\x sequences');
});

test('print and raw escapes are lossless for every key and string value', { skip: !haveCorpus && 'corpus missing' }, async () => {
  const rel = 'generated/redis-7.0.15/strings.rdb';
  const gt = loadTruth(rel);
  for (const mode of ['print', 'raw'] as EscapeMode[]) {
    const run = await rdblens(['json', '--values', '--escape', mode, CORPUS + rel]);
    assert.equal(run.code, 0);
    const out = lines(run.stdout).map((l) => JSON.parse(l) as OutKey);
    const keys = new Set(out.map((k) => unescapeBytes(k.key, mode).toString('base64')));
    for (const g of gt.keys) assert.ok(keys.has(g.key_b64), `${mode}: ${g.key_b64}`);
    for (const k of out) {
      if (mode === 'print') assert.match(k.key, /^[\x20-\x7e]*$/);
      if (mode === 'raw') assert.match(k.key, /^[\u0000-\u00ff]*$/);
    }
  }
});

test('--db keeps one database', { skip: !haveCorpus && 'corpus missing' }, async () => {
  const rel = 'generated/redis-7.2.6/multi-db.rdb';
  const gt = loadTruth(rel);
  const run = await rdblens(['json', '--db', '5', CORPUS + rel]);
  assert.equal(run.code, 0);
  const out = lines(run.stdout).map((l) => JSON.parse(l) as OutKey);
  const want = gt.keys.filter((k) => k.db === 5).map((k) => k.key).sort();
  assert.ok(want.length > 0);
  assert.deepEqual(out.map((k) => k.key).sort(), want);
  assert.ok(out.every((k) => k.db === 5 && !('value' in k)));
});

test('truncated dump: the complete keys are printed, then one error line naming the offset; exit 1', { skip: !haveCorpus && 'corpus missing' }, async () => {
  const rel = 'corrupt/truncated-mid-value.rdb';
  const expected = (JSON.parse(readFileSync(CORPUS + 'corrupt/truncated-mid-value.json', 'utf8')) as {
    expected: { at_offset: number; complete_keys_before_error: string[] };
  }).expected;
  const run = await rdblens(['json', CORPUS + rel]);
  assert.equal(run.code, 1);
  const out = lines(run.stdout).map((l) => JSON.parse(l) as OutKey);
  assert.deepEqual(out.map((k) => k.key), expected.complete_keys_before_error);
  assert.equal(out.length, 5);
  const err = lines(run.stderr);
  assert.equal(err.length, 1, run.stderr);
  assert.match(err[0]!, /^rdblens: /);
  assert.ok(err[0]!.includes(`byte ${expected.at_offset}`), err[0]);
  assert.equal(expected.at_offset, 352);
  assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
});

test('missing file: one stderr line, exit 1, no output', async () => {
  const run = await rdblens(['json', 'no/such/dump.rdb']);
  assert.equal(run.code, 1);
  assert.equal(run.stdout, '');
  assert.equal(run.stderr, 'rdblens: no/such/dump.rdb: no such file or directory\n');
});

test('a directory is refused with one line, exit 1', async () => {
  const run = await rdblens(['json', 'cli']);
  assert.equal(run.code, 1);
  assert.equal(run.stderr, 'rdblens: cli: is a directory\n');
});

test('bad flags and arguments: usage on stderr, exit 2', async () => {
  const cases = [['json', '--bogus', 'x.rdb'], ['json', '--escape', 'hex', 'x.rdb'], ['json', '--db', 'one', 'x.rdb'], ['json'], ['nosuchcommand']];
  const runs = await Promise.all(cases.map((args) => rdblens(args)));
  for (const [i, args] of cases.entries()) {
    const run = runs[i]!;
    assert.equal(run.code, 2, args.join(' '));
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /error: /, args.join(' '));
    assert.match(run.stderr, /usage/i, args.join(' '));
  }
});

test('--help and --version print to stdout, exit 0', async () => {
  const help = await rdblens(['json', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--escape <mode>/);
  assert.match(help.stdout, /default: "utf8"/);
  const version = await rdblens(['--version']);
  assert.equal(version.code, 0);
  assert.equal(version.stdout.trim(), PKG.version);
});

test('stdout closed early (| head): exit 0 quietly', { skip: !haveCorpus && 'corpus missing' }, async () => {
  let closed = false;
  const run = await rdblens(['json', '--values', CORPUS + 'generated/redis-7.0.15/mixed-large.rdb'], (_chunk, child) => {
    if (!closed) {
      closed = true;
      child.stdout!.destroy();
    }
  });
  assert.ok(closed);
  assert.equal(run.stderr, '');
  assert.equal(run.code, 0);
});

test('backpressure: a slow reader keeps the buffered output small (in process)', { skip: !haveCorpus && 'corpus missing' }, async () => {
  let maxBuffered = 0;
  let bytes = 0;
  let lineCount = 0;
  const slow = new Writable({
    highWaterMark: 64 * 1024,
    write(chunk: Buffer, _enc, done) {
      maxBuffered = Math.max(maxBuffered, slow.writableLength);
      bytes += chunk.length;
      for (const c of chunk) if (c === 0x0a) lineCount++;
      setTimeout(done, 1);
    },
  });
  await runJson(CORPUS + 'generated/redis-7.0.15/mixed-large.rdb', { values: true, escape: 'utf8', db: undefined }, slow);
  assert.equal(lineCount, 50509);
  assert.ok(bytes > 10_000_000, `${bytes} bytes written`);
  // at most what one 1 MB chunk of the dump expands to, never the whole output
  assert.ok(maxBuffered < 8 * 1024 * 1024, `buffered up to ${maxBuffered} bytes`);
});

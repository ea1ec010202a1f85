/**
 * `rdblens json <dump>`: one JSON object per key, in file order (NDJSON). See docs/cli.md.
 */
import { Command } from 'commander';
import type { KeyFilterSpec } from '../../src/memory/filter.js';
import type { ProfileId, ServerConfig } from '../../src/memory/profiles.js';
import { RdbError, type KeyRecord, type RdbStreamValue, type Value } from '../../src/rdb/index.js';
import { escapeBytes, type EscapeMode } from '../../src/report/escape.js';
import { LargestKeys } from '../../src/report/largest.js';
import { readDumpHeader } from '../analysis.js';
import { CliError } from '../errors.js';
import { isLiveUrl } from '../../src/source/url.js';
import { openDump, parseDump } from '../input.js';
import { addCommonOptions, analysisSpec, type CommonOptionValues } from '../options.js';
import { LineWriter } from '../output.js';
import { keysWritten, warnIntegrity, type CommandIo } from '../common.js';
import { progressFor } from '../progress.js';
import { KeySizer } from '../../src/memory/sizer.js';

/** Largest |ms| a Date can hold. */
const MAX_DATE_MS = 8.64e15;

/** A JSON string literal. */
const q = JSON.stringify;

/** An integer or float as JSON; bigints beyond 2^53 and non-finite numbers as strings. */
function num(n: number | bigint | null): string {
  if (n === null) return 'null';
  if (typeof n === 'bigint') {
    return n <= BigInt(Number.MAX_SAFE_INTEGER) && n >= BigInt(Number.MIN_SAFE_INTEGER) ? n.toString() : q(n.toString());
  }
  if (Number.isFinite(n)) return Object.is(n, -0) ? '-0' : String(n);
  return Number.isNaN(n) ? '"nan"' : n > 0 ? '"inf"' : '"-inf"';
}

function strOrNull(s: string | null): string {
  return s === null ? 'null' : q(s);
}

function streamJson(v: RdbStreamValue, b: (buf: Buffer) => string): string {
  const entries = v.entries.map((e) => `[${q(e.id)},[${e.fields.map(b).join(',')}]]`).join(',');
  const groups = v.groups
    .map((g) => {
      const pending = g.pending
        .map((p) => `[${q(p.id)},${p.consumer === null ? 'null' : b(p.consumer)},${num(p.deliveryTime)},${num(p.deliveryCount)}]`)
        .join(',');
      const consumers = g.consumers
        .map(
          (c) =>
            `{"name":${b(c.name)},"seen_time":${num(c.seenTime)},"active_time":${num(c.activeTime)},` +
            `"pending":[${c.pending.map((id) => q(id)).join(',')}]}`,
        )
        .join(',');
      return (
        `{"name":${b(g.name)},"last_id":${q(g.lastId)},"entries_read":${num(g.entriesRead)},` +
        `"pending":[${pending}],"consumers":[${consumers}]}`
      );
    })
    .join(',');
  return (
    `{"length":${num(v.length)},"last_id":${q(v.lastId)},"first_id":${strOrNull(v.firstId)},` +
    `"max_deleted_id":${strOrNull(v.maxDeletedId)},"entries_added":${num(v.entriesAdded)},` +
    `"entries":[${entries}],"groups":[${groups}]}`
  );
}

/** The `value` field of a key as JSON text. */
export function valueJson(v: Value, mode: EscapeMode): string {
  const b = (buf: Buffer): string => q(escapeBytes(buf, mode));
  switch (v.type) {
    case 'string':
      return b(v.value);
    case 'list':
    case 'set':
      return `[${v.value.map(b).join(',')}]`;
    case 'zset':
      return `[${v.value.map(([member, score]) => `[${b(member)},${num(score)}]`).join(',')}]`;
    case 'hash': {
      let out = `{"pairs":[${v.value.map((e) => `[${b(e.field)},${b(e.value)}]`).join(',')}]`;
      const ttl = v.value.filter((e) => e.expireAt !== -1);
      if (ttl.length > 0) out += `,"field_expiry":[${ttl.map((e) => `[${b(e.field)},${num(e.expireAt)}]`).join(',')}]`;
      return out + '}';
    }
    case 'stream':
      return streamJson(v.value, b);
    case 'module':
      return 'null';
  }
}

/** One key as a JSON object (no newline). `size`: MEMORY USAGE and encoding after load. */
export function keyJson(rec: KeyRecord, mode: EscapeMode, values: boolean, size?: KeySize): string {
  const exp = rec.expireAt;
  const expiry = exp === -1 ? 'null' : num(exp);
  const iso = exp === -1 || !(Math.abs(exp) <= MAX_DATE_MS) ? 'null' : q(new Date(exp).toISOString());
  let out = `{"db":${rec.db},"key":${q(escapeBytes(rec.key, mode))},"type":${q(rec.type)},`;
  if (size) {
    out += `"encoding":${q(size.encoding)},"rdb_encoding":${q(rec.encoding)},"size_in_bytes":${size.bytes < 0 ? 'null' : size.bytes},`;
  } else out += `"encoding":${q(rec.encoding)},`;
  out += `"expiry":${expiry},"expiry_iso":${iso},"length":${num(rec.length)},"offset":${rec.offset}`;
  if (rec.type === 'module') out += `,"module":${rec.facts.module ? q(rec.facts.module.name) : 'null'}`;
  if (values && rec.value) out += `,"value":${valueJson(rec.value, mode)}`;
  return out + '}';
}

export interface KeySize {
  /** MEMORY USAGE; -1 when unknown (module values) */
  bytes: number;
  /** OBJECT ENCODING after load */
  encoding: string;
}

export interface JsonOptions {
  values: boolean;
  escape: EscapeMode;
  /** only this database; undefined: all (kept for callers of the first version; see filter.dbs) */
  db?: number | undefined;
  filter?: KeyFilterSpec;
  /** model this server (default: the one that wrote the dump) */
  target?: ProfileId | undefined;
  config?: Partial<ServerConfig>;
  /** only the N largest keys after the other filters (needs a file: the dump is read twice) */
  largest?: number | undefined;
  quiet?: boolean;
  /** Redis's load-time findings are errors (ParserOptions.strict) */
  strict?: boolean;
  /** where the load-time warnings go (default stderr) */
  stderr?: NodeJS.WritableStream;
}

/** The sizer for these options (`db`, the first version's single database, joins the filter). */
function sizerFor(opts: JsonOptions): KeySizer {
  const filter: KeyFilterSpec = { ...opts.filter };
  if (opts.db !== undefined) filter.dbs = [...(filter.dbs ?? []), opts.db];
  return new KeySizer({ target: opts.target, config: opts.config ?? {}, filter });
}

/** --largest: the ordinals (among keys that pass the filters) of the N largest keys. */
async function largestOrdinals(path: string, opts: JsonOptions, limit: number): Promise<Set<number>> {
  const input = await openDump(path);
  const sizer = sizerFor(opts);
  const keep = new LargestKeys<{ file: number; ordinal: number; bytes: number }>(limit);
  let ordinal = 0;
  try {
    await parseDump(
      input,
      {
        onRecord: (rec) => {
          const row = sizer.record(rec);
          if (row) keep.add({ file: 0, ordinal: ordinal++, bytes: row.bytes });
        },
        strict: opts.strict === true,
      },
      () => undefined,
    );
  } catch (err) {
    // a damaged dump: the largest of the keys before the damage; the second pass reports it
    if (!(err instanceof RdbError)) throw err;
  }
  return new Set(keep.inPositionOrder().map((k) => k.ordinal));
}

export async function runJson(path: string, opts: JsonOptions, out: NodeJS.WritableStream = process.stdout): Promise<void> {
  if (opts.largest !== undefined && (path === '-' || isLiveUrl(path))) throw new CliError('--largest reads the dump twice: give a file, not standard input or a live source');
  // a missing file or one that is no dump: one line, nothing printed
  if (path !== '-') await readDumpHeader(path);
  const chosen = opts.largest !== undefined ? await largestOrdinals(path, opts, opts.largest) : null;
  const input = await openDump(path);
  const writer = new LineWriter(out as NodeJS.WriteStream);
  const { values, escape: mode } = opts;
  const sizer = sizerFor(input.config ? { ...opts, config: { ...input.config, ...opts.config } } : opts);
  const progress = progressFor(input.totalSize !== undefined ? [input.totalSize] : [], opts.quiet ?? false);
  let ordinal = 0;
  let written = 0;
  let failure: unknown = null;
  try {
    await parseDump(
      input,
      {
        values,
        strict: opts.strict === true,
        onRecord: (rec) => {
          const row = sizer.record(rec);
          if (!row || rec.kind !== 'key') return;
          if (chosen !== null && !chosen.has(ordinal++)) return;
          writer.line(keyJson(rec, mode, values, row));
          written++;
        },
        ...(progress ? { onProgress: (bytes: number, keys: number) => progress.update(0, bytes, keys) } : {}),
      },
      () => (writer.waiting ? writer.ready() : undefined),
    );
  } catch (err) {
    failure = err;
  } finally {
    progress?.clear();
    // the keys read before an error are printed before the error message
    await writer.end();
  }
  warnIntegrity(opts.stderr ?? process.stderr, input.file, sizer.integrity);
  if (failure instanceof RdbError) throw new CliError(`${failure.message} (${keysWritten(written)} before it)`);
  if (failure !== null) throw failure;
}

const HELP_AFTER = `
Output: one JSON object per key, in file order:
  {"db":0,"key":"user:1","type":"hash","encoding":"listpack","rdb_encoding":"listpack",
   "size_in_bytes":120,"expiry":null,"expiry_iso":null,"length":3,"offset":120}
encoding is OBJECT ENCODING after a load, rdb_encoding the one in the file, size_in_bytes
MEMORY USAGE on the target server (null for module values); "value" with --values.
Escape modes for keys and values:
  utf8    well-formed UTF-8 as text, any other byte as \\xNN, a backslash as \\\\ (default)
  print   printable ASCII as is, any other byte as \\xNN, a backslash as \\\\
  raw     each byte as the character U+0000..U+00FF (latin1; lossless)
  base64  base64 of the bytes
(\\xNN and \\\\ are the characters in the decoded JSON string.) Details: docs/cli.md`;

export function register(program: Command, io?: () => CommandIo): void {
  const cmd = program
    .command('json')
    .description('print every key as one JSON object per line (NDJSON), with its size')
    .argument('<dump>', 'RDB file, or - for standard input')
    .option('--values', 'include each value', false);
  addCommonOptions(cmd, { prefixes: false, jobs: false });
  cmd.addHelpText('after', HELP_AFTER).action(async (dump: string, o: CommonOptionValues & { values: boolean }) => {
    const spec = analysisSpec(o, 0);
    await runJson(dump, {
      values: o.values,
      escape: o.escape,
      filter: spec.filter,
      target: spec.target,
      config: spec.config,
      largest: spec.largest,
      quiet: o.quiet,
      strict: spec.strict,
      ...(io ? { stderr: io().stderr as NodeJS.WritableStream } : {}),
    }, io?.().stdout as NodeJS.WritableStream | undefined);
  });
}

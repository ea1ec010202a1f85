/**
 * `rdblens json <dump>`: one JSON object per key, in file order (NDJSON). See docs/cli.md.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import type { KeyRecord, StreamValue, Value } from '../../src/rdb/index.js';
import { DEFAULT_ESCAPE, ESCAPE_MODES, escapeBytes, type EscapeMode } from '../../src/report/escape.js';
import { openDump, parseDump } from '../input.js';
import { LineWriter } from '../output.js';

export interface JsonOptions {
  values: boolean;
  escape: EscapeMode;
  /** only this database; undefined: all */
  db: number | undefined;
}

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

function streamJson(v: StreamValue, b: (buf: Buffer) => string): string {
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

/** One key as a JSON object (no newline). */
export function keyJson(rec: KeyRecord, mode: EscapeMode, values: boolean): string {
  const exp = rec.expireAt;
  const expiry = exp === -1 ? 'null' : num(exp);
  const iso = exp === -1 || !(Math.abs(exp) <= MAX_DATE_MS) ? 'null' : q(new Date(exp).toISOString());
  let out =
    `{"db":${rec.db},"key":${q(escapeBytes(rec.key, mode))},"type":${q(rec.type)},"encoding":${q(rec.encoding)},` +
    `"expiry":${expiry},"expiry_iso":${iso},"length":${num(rec.length)},"offset":${rec.offset}`;
  if (rec.type === 'module') out += `,"module":${rec.facts.module ? q(rec.facts.module.name) : 'null'}`;
  if (values && rec.value) out += `,"value":${valueJson(rec.value, mode)}`;
  return out + '}';
}

export async function runJson(path: string, opts: JsonOptions, out: NodeJS.WritableStream = process.stdout): Promise<void> {
  const input = await openDump(path);
  const writer = new LineWriter(out as NodeJS.WriteStream);
  const { values, escape: mode, db } = opts;
  try {
    await parseDump(
      input,
      {
        values,
        onRecord: (rec) => {
          if (rec.kind !== 'key' || (db !== undefined && rec.db !== db)) return;
          writer.line(keyJson(rec, mode, values));
        },
      },
      () => (writer.waiting ? writer.ready() : undefined),
    );
  } finally {
    // the keys read before an error are printed before the error message
    await writer.end();
  }
}

function parseDb(text: string): number {
  if (!/^\d+$/.test(text)) throw new InvalidArgumentError('expected a database number (0, 1, ...)');
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError('database number too large');
  return n;
}

const HELP_AFTER = `
Output: one JSON object per key, in file order:
  {"db":0,"key":"user:1","type":"hash","encoding":"listpack","expiry":null,
   "expiry_iso":null,"length":3,"offset":120}
plus "value" with --values. Escape modes for keys and values:
  utf8    well-formed UTF-8 as text, any other byte as \\xNN, a backslash as \\\\ (default)
  print   printable ASCII as is, any other byte as \\xNN, a backslash as \\\\
  raw     each byte as the character U+0000..U+00FF (latin1; lossless)
  base64  base64 of the bytes
(\\xNN and \\\\ are the characters in the decoded JSON string.) Details: docs/cli.md`;

export function register(program: Command): void {
  program
    .command('json')
    .description('print every key as one JSON object per line (NDJSON)')
    .argument('<dump>', 'RDB file, or - for standard input')
    .option('--values', 'include each value', false)
    .addOption(
      new Option('--escape <mode>', 'how bytes become JSON strings').choices(ESCAPE_MODES as string[]).default(DEFAULT_ESCAPE),
    )
    .option('--db <n>', 'only keys of database n', parseDb)
    .addHelpText('after', HELP_AFTER)
    .action(async (dump: string, o: { values: boolean; escape: EscapeMode; db?: number }) => {
      await runJson(dump, { values: o.values, escape: o.escape, db: o.db });
    });
}

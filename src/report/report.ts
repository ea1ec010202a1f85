/**
 * `rdblens report`: the terminal summary and the same as one JSON document. Both are built from
 * the same tables (rows.ts), so they always agree.
 */
import { serverRefuses, serverVerdict, type IntegrityData } from '../rdb/integrity.js';
import type { Tip } from '../memory/doctor.js';
import type { MemoryStats } from '../memory/stats.js';
import type { EscapeMode } from './escape.js';
import { formatBytes, formatCount, formatPercent } from './format.js';
import { jsonDocument, tableJson, type JsonValue } from './json.js';
import type { ReportModel } from './model.js';
import { dbTable, encodingTable, filesTable, prefixTable, sizeHistogramTable, topKeysTable, ttlTable, typeTable } from './rows.js';
import { isDoubleField, memoryStatsJson, STATS_HIGHLIGHTS } from './stats.js';
import { paint, renderPairs, renderTable, type TextStyle } from './text.js';
import type { Table } from './table.js';

export interface ReportInput {
  model: ReportModel;
  /** MEMORY STATS of the servers that would load the dumps; null when not computed */
  stats: MemoryStats | null;
  /** MEMORY DOCTOR's advice; null when not computed */
  doctor: string | null;
  /** the doctor's tips as data (the figures behind `doctor`); null or absent when not computed */
  tips?: Tip[] | null;
  /** rows of the top-keys and top-prefixes tables */
  topKeys: number;
  topPrefixes: number;
  /** why MEMORY STATS and DOCTOR are missing (input without them: Parquet), printed as such */
  unavailable?: string;
}

/** The tables of the report, in the order printed. */
export function reportTables(r: ReportInput): Table[] {
  const m = r.model;
  const tables = [topKeysTable(m, 'memory', r.topKeys), typeTable(m), encodingTable(m), prefixTable(m, r.topPrefixes), ttlTable(m)];
  if (m.byDb.length > 1) tables.push(dbTable(m));
  if (m.files.length > 1) tables.push(filesTable(m));
  return tables;
}

function profilesText(m: ReportModel): string {
  const ids = [...new Set(m.files.map((f) => f.profile))];
  return ids.join(', ');
}

function writersText(m: ReportModel): string {
  const v = [...new Set(m.files.map((f) => f.serverVersion ?? `RDB ${f.rdbVersion}`))];
  return v.join(', ');
}

/** The report as text lines for a terminal. */
export function reportText(r: ReportInput, style: TextStyle): string {
  const m = r.model;
  const t = m.total;
  const out: string[] = [];
  const heading = (s: string): void => {
    out.push('', paint(style, ['bold', 'cyan'], s));
  };
  const files = m.files.length === 1 ? m.files[0]!.file : `${m.files.length} files`;
  out.push(paint(style, 'bold', `rdblens report: ${files}`));
  const pairs: Array<[string, string]> = [
    ['keys', `${formatCount(t.keys)}${t.keysInFile !== t.keys ? ` (of ${formatCount(t.keysInFile)} in the file${m.files.length > 1 ? 's' : ''})` : ''}`],
    ['memory', `${formatBytes(t.bytes)} (${formatCount(t.bytes)} bytes): MEMORY USAGE summed over the keys`],
    ['mean per key', t.keys > 0 ? formatBytes(Math.round(t.bytes / t.keys)) : '-'],
    ['with a TTL', `${formatCount(t.expires)} keys (${formatPercent(t.keys > 0 ? t.expires / t.keys : 0)})`],
  ];
  if (t.expiredKeys > 0) pairs.push(['already expired', `${formatCount(t.expiredKeys)} keys, ${formatBytes(t.expiredBytes)} (a server drops them on load)`]);
  if (t.unknownSize > 0) pairs.push(['unknown size', `${formatCount(t.unknownSize)} module keys, counted as 0 bytes`]);
  pairs.push(['written by', writersText(m)], ['modelled on', `${profilesText(m)} (--target to change)`]);
  out.push(...renderPairs(pairs, style));
  for (const f of m.files) {
    if (f.error) out.push(paint(style, ['bold', 'yellow'], `  INCOMPLETE: ${f.error.message}`), paint(style, 'yellow', `  (the report covers the ${formatCount(f.keys)} keys read before it)`));
    const verdict = serverVerdict(f.integrity);
    if (verdict) out.push(paint(style, ['bold', 'yellow'], `  LOAD CHECK${m.files.length > 1 ? ` (${f.file})` : ''}: ${verdict}`));
  }

  if (r.unavailable !== undefined) {
    heading('MEMORY STATS, MEMORY DOCTOR');
    out.push(`  ${r.unavailable}`);
  }
  if (r.stats) {
    heading('MEMORY STATS (estimate for a server that loads the dump' + (m.files.length > 1 ? 's; shards summed' : '') + ')');
    const byName = new Map(r.stats.fields);
    const lines: Array<[string, string]> = [];
    for (const name of STATS_HIGHLIGHTS) {
      const v = byName.get(name);
      if (v === undefined || Array.isArray(v)) continue;
      if (typeof v === 'number' && isDoubleField(name)) lines.push([name, `${v.toFixed(2)}%`]);
      else if (typeof v === 'number' && (name.endsWith('.allocated') || name.endsWith('.bytes') || name.endsWith('.total') || name.endsWith('.caches') || name.endsWith('bytes-per-key'))) {
        lines.push([name, `${formatBytes(v)} (${formatCount(v)})`]);
      } else lines.push([name, typeof v === 'number' ? formatCount(v) : v]);
    }
    out.push(...renderPairs(lines, style));
    out.push(paint(style, 'dim', '  (rdblens stats for every field)'));
  }
  if (r.doctor !== null) {
    heading('MEMORY DOCTOR');
    for (const line of r.doctor.replace(/\n+$/, '').split('\n')) out.push(line.length > 0 ? `  ${line}` : '');
  }
  for (const table of reportTables(r)) {
    out.push('');
    out.push(...renderTable(table, style, { indent: '  ' }));
  }
  return out.join('\n') + '\n';
}

/** The doctor's tips as data (as `rdblens doctor --json` has them). */
export function tipsJson(tips: readonly Tip[]): JsonValue {
  return tips.map((t) => ({
    id: t.id,
    title: t.title,
    kind: t.kind,
    bytes: t.bytes,
    subjects: [...t.subjects],
    items: t.items.map((i) => ({ subject: i.subject, keys: i.keys, bytes: i.bytes })),
    lines: [...t.lines],
  }));
}

/** The report as one JSON document. */
export function reportJson(r: ReportInput, mode: EscapeMode): string {
  return jsonDocument(reportDocument(r, mode));
}

/** The document `reportJson` writes, as a value (the HTML page embeds the same). */
export function reportDocument(r: ReportInput, mode: EscapeMode): Record<string, JsonValue> {
  const m = r.model;
  const doc: Record<string, JsonValue> = {
    complete: m.complete,
    now: new Date(m.now).toISOString(),
    files: m.files.map((f) => ({
      file: f.file,
      rdb_version: f.rdbVersion,
      server: f.serverVersion,
      profile: f.profile,
      keys_in_file: f.keysInFile,
      keys: f.keys,
      bytes: f.bytes,
      expires: f.expires,
      expired_keys: f.expiredKeys,
      expired_bytes: f.expiredBytes,
      checksum: f.checksum,
      error: f.error ? { code: f.error.code, offset: f.error.offset, message: f.error.message, keys_read: f.error.keysRead } : null,
      load_check: loadCheckJson(f.integrity),
    })),
    total: {
      keys_in_file: m.total.keysInFile,
      keys: m.total.keys,
      bytes: m.total.bytes,
      expires: m.total.expires,
      expired_keys: m.total.expiredKeys,
      expired_bytes: m.total.expiredBytes,
      key_name_bytes: m.total.keyNameBytes,
      unknown_size: m.total.unknownSize,
    },
    memory_stats: r.stats ? memoryStatsJson(r.stats) : null,
    memory_stats_estimated: r.stats ? r.stats.estimated : null,
    doctor: r.doctor,
  };
  if (r.unavailable !== undefined) doc.not_available = { memory_stats: r.unavailable, doctor: r.unavailable };
  if (r.tips) doc.doctor_tips = tipsJson(r.tips);
  const tables = [
    topKeysTable(m, 'memory', r.topKeys),
    topKeysTable(m, 'elements', r.topKeys),
    typeTable(m),
    encodingTable(m),
    prefixTable(m, r.topPrefixes),
    ttlTable(m),
    dbTable(m),
    sizeHistogramTable(m),
  ];
  for (const t of tables) doc[t.id] = tableJson(t, mode);
  return doc;
}


/** What redis-server 7.0 would do on loading the dump, and why (src/rdb/integrity.ts). */
function loadCheckJson(d: IntegrityData): JsonValue {
  return {
    server: serverRefuses(d) ? 'refuse' : d.emptySkipped > 0 ? 'skip' : 'load',
    verdict: serverVerdict(d),
    corrupt_values: d.corrupt,
    duplicate_keys: d.duplicates,
    empty_keys_skipped: d.emptySkipped,
    findings: d.findings.map((f) => ({ ...f })),
  };
}

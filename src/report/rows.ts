/**
 * The row producer: every table rdblens prints, built from the report model. Text, CSV and JSON
 * sinks render the same tables, so the outputs cannot disagree.
 */
import type { KeySample } from '../memory/aggregate.js';
import type { PrefixNode } from '../memory/prefix-tree.js';
import type { ReportModel } from './model.js';
import { col, mean, pct, type Cell, type Table } from './table.js';

/** Keys and memory per dump, and each dump's share against the mean (skew between shards). */
export function filesTable(m: ReportModel): Table {
  const n = m.files.length;
  const meanBytes = n > 0 ? m.total.bytes / n : 0;
  return {
    id: 'files',
    title: 'Per file',
    columns: [
      col('file', 'text'),
      col('keys', 'count'),
      col('bytes', 'bytes'),
      col('percent', 'percent', '%'),
      col('skew', 'ratio', 'vs mean'),
      col('expires', 'count'),
      col('rdb_version', 'number', 'rdb'),
      col('server', 'text'),
      col('profile', 'text'),
      col('status', 'text'),
    ],
    rows: m.files.map((f) => [
      f.file,
      f.keys,
      f.bytes,
      pct(f.bytes, m.total.bytes),
      meanBytes > 0 ? f.bytes / meanBytes : 0,
      f.expires,
      f.rdbVersion,
      f.serverVersion,
      f.profile,
      f.error ? `incomplete: ${f.error.code} at byte ${f.error.offset}` : 'ok',
    ]),
  };
}

export function dbTable(m: ReportModel): Table {
  return {
    id: 'databases',
    title: 'Memory by database',
    columns: [col('db', 'number'), col('keys', 'count'), col('expires', 'count'), col('bytes', 'bytes'), col('percent', 'percent', '%')],
    rows: m.byDb.map((d) => [d.db, d.keys, d.expires, d.bytes, pct(d.bytes, m.total.bytes)]),
  };
}

export function typeTable(m: ReportModel): Table {
  return {
    id: 'types',
    title: 'Memory by type',
    columns: [col('type', 'text'), col('keys', 'count'), col('bytes', 'bytes'), col('percent', 'percent', '%'), col('mean', 'bytes', 'mean/key')],
    rows: m.byType.map((t) => [t.type, t.keys, t.bytes, pct(t.bytes, m.total.bytes), mean(t.bytes, t.keys)]),
  };
}

export function encodingTable(m: ReportModel): Table {
  return {
    id: 'encodings',
    title: 'Memory by type and encoding (after load)',
    columns: [
      col('type', 'text'),
      col('encoding', 'text'),
      col('keys', 'count'),
      col('bytes', 'bytes'),
      col('percent', 'percent', '%'),
      col('mean', 'bytes', 'mean/key'),
    ],
    rows: m.byTypeEncoding.map((t) => [t.type, t.encoding, t.keys, t.bytes, pct(t.bytes, m.total.bytes), mean(t.bytes, t.keys)]),
  };
}

export function ttlTable(m: ReportModel): Table {
  return {
    id: 'ttl',
    title: 'TTL distribution',
    columns: [col('ttl', 'text', 'time to live'), col('keys', 'count'), col('bytes', 'bytes'), col('percent', 'percent', '% bytes')],
    rows: m.ttl.map((t) => [t.bucket, t.keys, t.bytes, pct(t.bytes, m.total.bytes)]),
    note: `relative to ${new Date(m.now).toISOString()}`,
  };
}

export function sizeHistogramTable(m: ReportModel): Table {
  return {
    id: 'size_histogram',
    title: 'Keys by size',
    columns: [col('up_to', 'bytes', 'size <='), col('keys', 'count'), col('bytes', 'bytes'), col('percent', 'percent', '% bytes')],
    rows: m.sizeHistogram.map((h) => [h.upTo, h.keys, h.bytes, pct(h.bytes, m.total.bytes)]),
  };
}

export function countHistogramTable(m: ReportModel): Table {
  return {
    id: 'element_histogram',
    title: 'Collections by element count',
    columns: [col('up_to', 'count', 'elements <='), col('keys', 'count'), col('bytes', 'bytes'), col('percent', 'percent', '% bytes')],
    rows: m.countHistogram.map((h) => [h.upTo, h.keys, h.bytes, pct(h.bytes, m.total.bytes)]),
  };
}

export type TopBy = 'memory' | 'elements';

/** The largest keys by memory or by element count (`file` column when several dumps). */
export function topKeysTable(m: ReportModel, by: TopBy, n: number): Table {
  const multi = m.files.length > 1;
  const list: KeySample[] = (by === 'memory' ? m.topByMemory : m.topByElements).slice(0, n);
  const columns = [
    col('rank', 'number', '#'),
    col('db', 'number'),
    col('key', 'key'),
    col('type', 'text'),
    col('encoding', 'text'),
    col('bytes', 'bytes'),
    col('elements', 'count'),
    col('expiry', 'time'),
  ];
  if (multi) columns.push(col('file', 'text'));
  return {
    id: by === 'memory' ? 'top_keys' : 'top_keys_by_elements',
    title: by === 'memory' ? 'Largest keys' : 'Largest collections by element count',
    columns,
    rows: list.map((s, i) => {
      // module values: the size is unknown (the aggregates count them as 0)
      const row: Cell[] = [i + 1, s.db, s.key, s.type, s.encoding, s.type === 'module' ? null : s.bytes, s.length, s.expireAt < 0 ? null : s.expireAt];
      if (multi) row.push(m.files.find((f) => f.index === s.file)?.file ?? String(s.file));
      return row;
    }),
  };
}

/** Every prefix node, largest bytes first, ties by keys then prefix bytes (a total order). */
export function sortedPrefixes(m: ReportModel): PrefixNode[] {
  return m.prefixes.flatten().sort((a, b) => b.bytes - a.bytes || b.keys - a.keys || Buffer.compare(a.prefix, b.prefix));
}

/**
 * Memory by key prefix: keys, bytes, share of all bytes, mean per key, and what has no TTL.
 * `n` limits the rows (largest first); undefined: all.
 */
export function prefixTable(m: ReportModel, n?: number): Table {
  const all = sortedPrefixes(m);
  const nodes = n === undefined ? all : all.slice(0, n);
  const t = m.total.bytes;
  const root = m.prefixes.root;
  const folded = root.other.keys + all.reduce((s, p) => s + p.other.keys, 0);
  const notes: string[] = [];
  if (n !== undefined && all.length > n) notes.push(`${all.length - n} more prefixes not shown`);
  const unprefixed = root.keys - [...root.children.values()].reduce((s, c) => s + c.keys, 0) - root.other.keys;
  if (unprefixed > 0) notes.push(`${unprefixed} keys have no separator`);
  if (folded > 0) notes.push(`prefix tree full (${m.prefixes.options.maxNodes} nodes): ${folded} keys counted in their parent only`);
  return {
    id: 'prefixes',
    title: 'Memory by key prefix',
    columns: [
      col('prefix', 'key'),
      col('depth', 'number'),
      col('keys', 'count'),
      col('bytes', 'bytes'),
      col('percent', 'percent', '%'),
      col('mean', 'bytes', 'mean/key'),
      col('keys_no_ttl', 'count', 'keys no TTL'),
      col('bytes_no_ttl', 'bytes', 'bytes no TTL'),
    ],
    rows: nodes.map((p) => prefixRow(p, t)),
    ...(notes.length > 0 ? { note: notes.join('; ') } : {}),
  };
}

function prefixRow(p: PrefixNode, total: number): Cell[] {
  return [p.prefix, p.depth, p.keys, p.bytes, pct(p.bytes, total), mean(p.bytes, p.keys), p.keysNoTtl, p.bytesNoTtl];
}

/** Children largest first, ties by keys then prefix bytes (the order of sortedPrefixes). */
export function sortedChildren(n: PrefixNode): PrefixNode[] {
  return [...n.children.values()].sort((a, b) => b.bytes - a.bytes || b.keys - a.keys || Buffer.compare(a.prefix, b.prefix));
}

/**
 * Every prefix node in tree order (a parent, then its children largest first, each followed by
 * its own), with the prefix table's columns: the rows an outline groups by depth.
 */
export function prefixTreeTable(m: ReportModel): Table {
  const t = m.total.bytes;
  const rows: Cell[][] = [];
  const walk = (n: PrefixNode): void => {
    for (const c of sortedChildren(n)) {
      rows.push(prefixRow(c, t));
      walk(c);
    }
  };
  walk(m.prefixes.root);
  return { ...prefixTable(m), rows, id: 'prefix_tree' };
}

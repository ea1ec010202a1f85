/**
 * Each view as a CSV table for `e`: the rows the view lists (for Top keys every key of the list
 * in the order shown, not only the page on screen), with raw numbers rather than the rounded
 * text on screen.
 */
import { escapeBytes } from '../../report/escape.js';
import type { CsvField } from '../../report/csv.js';
import type { Explorer } from './explorer.js';
import type { CsvTable } from './export-csv.js';
import type { ExpiryTally } from './expiry.js';
import type { KeyDetail } from './key-detail.js';
import type { DoctorTip } from './doctor-source.js';
import type { PrefixStats } from '../../memory/prefix-tree.js';
import { isoTime } from './format.js';

export function keysTable(ex: Explorer, total: number, gidAt: (row: number) => number): CsvTable {
  const mode = ex.options.escape;
  return {
    name: 'keys',
    header: ['database', 'type', 'key', 'size_in_bytes', 'encoding', 'num_elements', 'len_largest_element', 'expiry', 'ttl_ms'],
    rowCount: total,
    *rows() {
      const now = ex.options.now;
      for (let r = 0; r < total; r++) {
        const i = ex.index.info(gidAt(r));
        yield [
          i.db,
          i.type,
          escapeBytes(i.key, mode),
          i.memory,
          i.encoding,
          i.length,
          i.maxElementLength,
          isoTime(i.expireAt),
          i.expireAt < 0 ? '' : Math.max(0, i.expireAt - now),
        ] satisfies CsvField[];
      }
    },
  };
}

export interface PrefixTableRow extends PrefixStats {
  prefix: Buffer | null;
  label: string;
}

export function prefixesTable(ex: Explorer, rows: readonly PrefixTableRow[], levelBytes: number): CsvTable {
  const mode = ex.options.escape;
  return {
    name: 'prefixes',
    header: ['prefix', 'keys', 'size_in_bytes', 'share_of_level', 'keys_without_ttl', 'size_without_ttl'],
    rowCount: rows.length,
    *rows() {
      for (const r of rows) {
        yield [r.prefix ? escapeBytes(r.prefix, mode) : r.label, r.keys, r.bytes, levelBytes > 0 ? r.bytes / levelBytes : 0, r.keysNoTtl, r.bytesNoTtl];
      }
    },
  };
}

export function expiryTable(tally: ExpiryTally): CsvTable {
  const buckets = tally.buckets();
  return {
    name: 'expiry',
    header: ['time_left', 'keys', 'size_in_bytes'],
    rowCount: buckets.length,
    *rows() {
      for (const b of buckets) yield [b.label, b.keys, b.bytes];
    },
  };
}

export function overviewTable(ex: Explorer): CsvTable {
  const s = ex.summary;
  const rows: CsvField[][] = [];
  for (const t of s.byType) rows.push(['type', t.name, t.keys, t.bytes]);
  for (const t of s.byEncoding) rows.push(['encoding', t.name, t.keys, t.bytes]);
  for (const [name, v] of s.stats?.fields ?? []) {
    if (Array.isArray(v)) for (const [k, x] of v) rows.push(['memory_stats', `${name}.${k}`, '', x]);
    else rows.push(['memory_stats', name, '', v]);
  }
  return {
    name: 'overview',
    header: ['section', 'name', 'keys', 'value'],
    rowCount: rows.length,
    rows: () => rows,
  };
}

export function doctorTable(tips: readonly DoctorTip[]): CsvTable {
  return {
    name: 'doctor',
    header: ['tip', 'title', 'kind', 'bytes', 'subject', 'subject_keys', 'subject_bytes'],
    rowCount: tips.reduce((n, t) => n + Math.max(1, t.items.length), 0),
    *rows() {
      for (const t of tips) {
        if (t.items.length === 0) yield [t.id, t.title, t.kind, t.bytes, '', '', ''];
        for (const i of t.items) yield [t.id, t.title, t.kind, t.bytes, i.subject, i.keys, i.bytes];
      }
    },
  };
}

export function keyDetailTable(ex: Explorer, d: KeyDetail): CsvTable {
  const mode = ex.options.escape;
  const key = escapeBytes(d.key, mode);
  return {
    name: 'key',
    header: ['database', 'key', 'index', 'label', 'element_preview', 'bytes'],
    rowCount: d.elements.length,
    *rows() {
      for (const [i, e] of d.elements.entries()) yield [d.db, key, i, e.label, e.text, e.bytes];
    },
  };
}

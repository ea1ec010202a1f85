/**
 * MEMORY STATS as redis-cli shows the server's reply (RESP2: integers as `(integer) n`, doubles
 * as bulk strings in `%.17g`, `db.N` as a nested array), and as a JSON object (`db.N` nested,
 * as in the corpus ground truth's `memory_stats`).
 */
import type { MemoryStats, StatsValue } from '../memory/stats.js';
import type { JsonValue } from './json.js';

/** Fields the server replies with addReplyDouble. */
export function isDoubleField(name: string): boolean {
  return name.endsWith('.percentage') || name.endsWith('.ratio') || name === 'fragmentation';
}

/** C's `%.17g` (what addReplyDouble writes in RESP2). */
export function formatG17(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  const exp = Math.floor(Math.log10(Math.abs(n)));
  if (exp < -4 || exp >= 17) {
    const [mant, e] = n.toExponential(16).split('e') as [string, string];
    const m = mant.includes('.') ? mant.replace(/0+$/, '').replace(/\.$/, '') : mant;
    const ev = Number(e);
    return `${m}e${ev < 0 ? '-' : '+'}${String(Math.abs(ev)).padStart(2, '0')}`;
  }
  const s = n.toPrecision(17);
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

function scalar(name: string, v: number | string): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (isDoubleField(name) || !Number.isInteger(v)) return `"${formatG17(v)}"`;
  return `(integer) ${v}`;
}

/** Lines as `redis-cli MEMORY STATS` prints them. */
export function memoryStatsLines(stats: MemoryStats): string[] {
  const out: string[] = [];
  const n = stats.fields.length * 2;
  const w = String(n).length;
  let i = 0;
  const label = (k: number, width: number): string => `${String(k).padStart(width)}) `;
  for (const [name, value] of stats.fields) {
    out.push(label(++i, w) + JSON.stringify(name));
    const prefix = label(++i, w);
    if (Array.isArray(value)) {
      const sw = String(value.length * 2).length;
      let j = 0;
      const pad = ' '.repeat(prefix.length);
      value.forEach(([k, v], idx) => {
        out.push((idx === 0 ? prefix : pad) + label(++j, sw) + JSON.stringify(k));
        out.push(pad + label(++j, sw) + scalar(k, v));
      });
      if (value.length === 0) out.push(prefix + '(empty array)');
    } else out.push(prefix + scalar(name, value));
  }
  return out;
}

/** MEMORY STATS as a JSON object, `db.N` nested; numbers as numbers. */
export function memoryStatsJson(stats: MemoryStats): Record<string, JsonValue> {
  const o: Record<string, JsonValue> = {};
  for (const [name, value] of stats.fields) o[name] = statsValueJson(value);
  return o;
}

function statsValueJson(v: StatsValue): JsonValue {
  if (Array.isArray(v)) {
    const o: Record<string, JsonValue> = {};
    for (const [k, x] of v) o[k] = x;
    return o;
  }
  return v;
}

/** The fields worth a line in `rdblens report`, in this order, when the profile has them. */
export const STATS_HIGHLIGHTS = [
  'total.allocated',
  'startup.allocated',
  'overhead.total',
  'dataset.bytes',
  'dataset.percentage',
  'keys.count',
  'keys.bytes-per-key',
  'functions.caches',
] as const;

/**
 * One key in full: what the keyspace holds (type, encoding, TTL, size), plus what only the value
 * tells, read back from the dump by offset (readKeyAt): MEMORY USAGE with its breakdown, the
 * largest element, and the first elements as text. The value is dropped once the lines are made.
 */
import { readKeyAt, type KeyRecord, type Value } from '../../rdb/index.js';
import { memoryUsage, type KeyMemory } from '../../memory/usage.js';
import type { ServerProfile } from '../../memory/profiles.js';
import type { EscapeMode } from '../../report/escape.js';
import { previewBytes } from './format.js';

/** Longest text kept of one element. */
const ELEMENT_PREVIEW = 512;

export interface ElementLine {
  /** index, score, field or stream ID; '' when the element has none */
  label: string;
  text: string;
  /** bytes of the element (field + value for hashes) */
  bytes: number;
}

export interface KeyDetail {
  db: number;
  key: Buffer;
  type: string;
  /** OBJECT ENCODING on the modelled server */
  encoding: string;
  /** the encoding in the dump */
  fileEncoding: string;
  expireAt: number;
  /** STRLEN / LLEN / SCARD / ZCARD / HLEN / XLEN */
  length: number;
  memory: KeyMemory;
  /** bytes of the longest element (strings: the value) */
  maxElementLength: number;
  /** the largest element, as found in the value */
  largest: ElementLine | null;
  /** the first elements, in file order */
  elements: ElementLine[];
  /** elements in the value (for streams: entries) */
  elementCount: number;
  idle: number;
  freq: number;
  offset: number;
  file: string;
  /** stream details that are not elements: groups, last ID */
  notes: string[];
}

export interface KeyLocation {
  file: string;
  offset: number;
  db: number;
}

/** Read a key's record from its dump and describe it. `maxElements` caps the lines kept. */
export async function loadKeyDetail(at: KeyLocation, profile: ServerProfile, mode: EscapeMode, maxElements = 200): Promise<KeyDetail> {
  const rec = await readKeyAt(at.file, at.offset, at.db);
  return describeKey(rec, profile, mode, maxElements, at.file);
}

export function describeKey(rec: KeyRecord, profile: ServerProfile, mode: EscapeMode, maxElements: number, file: string): KeyDetail {
  // memoryUsage reads the parser's element stats, which stay those of this record: readKeyAt's
  // parser stops after it
  const memory = memoryUsage(rec, profile);
  const { elements, largest, count, notes } = elementLines(rec.value, mode, maxElements);
  return {
    db: rec.db,
    key: rec.key,
    type: rec.type,
    encoding: memory.encoding,
    fileEncoding: rec.encoding,
    expireAt: rec.expireAt,
    length: rec.length,
    memory,
    maxElementLength: rec.maxElementLength,
    largest,
    elements,
    elementCount: count,
    idle: rec.idle,
    freq: rec.freq,
    offset: rec.offset,
    file,
    notes,
  };
}

function scoreText(score: number): string {
  if (Number.isNaN(score)) return 'nan';
  if (score === Infinity) return 'inf';
  if (score === -Infinity) return '-inf';
  return String(score);
}

function elementLines(
  v: Value | undefined,
  mode: EscapeMode,
  max: number,
): { elements: ElementLine[]; largest: ElementLine | null; count: number; notes: string[] } {
  const out: ElementLine[] = [];
  const notes: string[] = [];
  let largest: ElementLine | null = null;
  let largestBytes = -1;
  const text = (b: Buffer): string => previewBytes(b, mode, ELEMENT_PREVIEW);
  const consider = (bytes: number, make: () => ElementLine): void => {
    if (bytes > largestBytes) {
      largestBytes = bytes;
      largest = make();
    }
  };
  if (!v) return { elements: out, largest, count: 0, notes: ['value not read'] };
  switch (v.type) {
    case 'string': {
      const line = { label: '', text: text(v.value), bytes: v.value.length };
      return { elements: [line], largest: line, count: 1, notes };
    }
    case 'list':
    case 'set': {
      v.value.forEach((e, i) => {
        const make = (): ElementLine => ({ label: v.type === 'list' ? `[${i}]` : '', text: text(e), bytes: e.length });
        if (out.length < max) out.push(make());
        consider(e.length, make);
      });
      return { elements: out, largest, count: v.value.length, notes };
    }
    case 'zset': {
      for (const [member, score] of v.value) {
        const make = (): ElementLine => ({ label: scoreText(score), text: text(member), bytes: member.length });
        if (out.length < max) out.push(make());
        consider(member.length, make);
      }
      return { elements: out, largest, count: v.value.length, notes };
    }
    case 'hash': {
      let withTtl = 0;
      for (const e of v.value) {
        const bytes = e.field.length + e.value.length;
        if (e.expireAt >= 0) withTtl++;
        const make = (): ElementLine => ({ label: text(e.field), text: text(e.value), bytes });
        if (out.length < max) out.push(make());
        consider(bytes, make);
      }
      if (withTtl > 0) notes.push(`${withTtl} field(s) with their own TTL`);
      return { elements: out, largest, count: v.value.length, notes };
    }
    case 'stream': {
      const s = v.value;
      for (const e of s.entries) {
        let bytes = 0;
        for (const f of e.fields) bytes += f.length;
        const make = (): ElementLine => {
          const parts: string[] = [];
          for (let i = 0; i + 1 < e.fields.length; i += 2) parts.push(`${text(e.fields[i]!)}=${text(e.fields[i + 1]!)}`);
          return { label: e.id, text: parts.join(' '), bytes };
        };
        if (out.length < max) out.push(make());
        consider(bytes, make);
      }
      notes.push(`last ID ${s.lastId}, ${s.groups.length} consumer group(s)`);
      for (const g of s.groups) {
        notes.push(`group ${text(g.name)}: last delivered ${g.lastId}, ${g.pending.length} pending, ${g.consumers.length} consumer(s)`);
      }
      return { elements: out, largest, count: s.entries.length, notes };
    }
    case 'module':
      return { elements: out, largest: null, count: 0, notes: ['module value: not decoded'] };
  }
}

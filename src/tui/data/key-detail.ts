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
export const ELEMENT_PREVIEW = 512;

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

export function scoreText(score: number): string {
  if (Number.isNaN(score)) return 'nan';
  if (score === Infinity) return 'inf';
  if (score === -Infinity) return '-inf';
  return String(score);
}

/**
 * The lines of a value's elements, gathered as they are visited (from a dump or from the
 * engine): the first `max` in order, and the largest by bytes.
 */
export class ElementLines {
  readonly elements: ElementLine[] = [];
  readonly notes: string[] = [];
  largest: ElementLine | null = null;
  /** bytes of the largest element, -1 before any */
  largestBytes = -1;

  constructor(
    readonly mode: EscapeMode,
    readonly max: number,
  ) {}

  /** An element's bytes as text, cut at ELEMENT_PREVIEW. */
  text(b: Buffer): string {
    return previewBytes(b, this.mode, ELEMENT_PREVIEW);
  }

  /** One element of `bytes`; `make` describes it, called only when the line is kept. */
  add(bytes: number, make: () => ElementLine): void {
    let line: ElementLine | null = null;
    if (this.elements.length < this.max) this.elements.push((line = make()));
    if (bytes > this.largestBytes) {
      this.largestBytes = bytes;
      this.largest = line ?? make();
    }
  }
}

function elementLines(
  v: Value | undefined,
  mode: EscapeMode,
  max: number,
): { elements: ElementLine[]; largest: ElementLine | null; count: number; notes: string[] } {
  const lines = new ElementLines(mode, max);
  const { notes } = lines;
  const text = (b: Buffer): string => lines.text(b);
  const result = (count: number) => ({ elements: lines.elements, largest: lines.largest, count, notes });
  if (!v) return { elements: [], largest: null, count: 0, notes: ['value not read'] };
  switch (v.type) {
    case 'string': {
      const line = { label: '', text: text(v.value), bytes: v.value.length };
      return { elements: [line], largest: line, count: 1, notes };
    }
    case 'list':
    case 'set': {
      v.value.forEach((e, i) => {
        lines.add(e.length, () => ({ label: v.type === 'list' ? `[${i}]` : '', text: text(e), bytes: e.length }));
      });
      return result(v.value.length);
    }
    case 'zset': {
      for (const [member, score] of v.value) lines.add(member.length, () => ({ label: scoreText(score), text: text(member), bytes: member.length }));
      return result(v.value.length);
    }
    case 'hash': {
      let withTtl = 0;
      for (const e of v.value) {
        const bytes = e.field.length + e.value.length;
        if (e.expireAt >= 0) withTtl++;
        lines.add(bytes, () => ({ label: text(e.field), text: text(e.value), bytes }));
      }
      if (withTtl > 0) notes.push(`${withTtl} field(s) with their own TTL`);
      return result(v.value.length);
    }
    case 'stream': {
      const s = v.value;
      for (const e of s.entries) {
        let bytes = 0;
        for (const f of e.fields) bytes += f.length;
        lines.add(bytes, () => ({ label: e.id, text: streamFieldsText(e.fields, text), bytes }));
      }
      notes.push(`last ID ${s.lastId}, ${s.groups.length} consumer group(s)`);
      for (const g of s.groups) {
        notes.push(`group ${text(g.name)}: last delivered ${g.lastId}, ${g.pending.length} pending, ${g.consumers.length} consumer(s)`);
      }
      return result(s.entries.length);
    }
    case 'module':
      return { elements: [], largest: null, count: 0, notes: ['module value: not decoded'] };
  }
}

/** A stream entry's fields and values as `field=value ...`. */
export function streamFieldsText(fields: readonly Buffer[], text: (b: Buffer) => string): string {
  const parts: string[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) parts.push(`${text(fields[i]!)}=${text(fields[i + 1]!)}`);
  return parts.join(' ');
}

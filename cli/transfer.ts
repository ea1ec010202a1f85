/**
 * Moving a file's analysis from a worker thread to the main thread. postMessage clones plain
 * data only: class instances arrive as plain objects, Buffers as Uint8Arrays, and functions
 * cannot be sent at all.
 *
 * - In the worker, `analysisData` copies the analysis into plain data (shared references kept
 *   shared), every class instance tagged with its class name, every function replaced by a
 *   marker, and the RdbError as its fields.
 * - In the main thread, `reviveAnalysis` builds the aggregate and the collectors afresh
 *   with their constructors (which recreate what is derived, such as the profile's features and
 *   its functions) and pours the data back into them, field by field. Tagged objects get their
 *   prototype back: the classes are the ones found in the freshly built instances (top lists,
 *   prefix tree, the doctor's samples); a class seen nowhere there is an error, not a silent
 *   plain object. Byte arrays become Buffers again.
 *
 * test/cli/transfer.test.ts checks that the revived analysis equals the original.
 */
import type { DumpAnalysis } from '../src/memory/analyze.js';
import { DumpAggregate, type AggregateOptions } from '../src/memory/aggregate.js';
import { DoctorCollector, type DoctorOptions } from '../src/memory/doctor.js';
import type { ServerProfile } from '../src/memory/profiles.js';
import { StatsCollector } from '../src/memory/stats.js';
import { RdbError, type RdbErrorCode } from '../src/rdb/index.js';

/** What a function becomes in the data. */
const FN = '__rdblens_function__';
/** The class name of an instance, in its data. */
const CLASS = '__rdblens_class__';

export interface ErrorData {
  code: RdbErrorCode;
  reason: string;
  file: string | undefined;
  offset: number;
  key: Uint8Array | undefined;
  rdbType: number | undefined;
  keysRead: number | undefined;
}

/** The analysis as plain data (opaque: only reviveAnalysis reads it). */
export interface AnalysisData {
  readonly __analysisData: true;
  [k: string]: unknown;
}

function isPlainObject(v: object): boolean {
  const p = Object.getPrototypeOf(v);
  return p === Object.prototype || p === null;
}

/** Objects whose prototype carries behaviour we must restore (not arrays, maps, bytes, ...). */
function isClassInstance(v: unknown): v is Record<string, unknown> {
  return (
    typeof v === 'object' &&
    v !== null &&
    !isPlainObject(v) &&
    !Array.isArray(v) &&
    !(v instanceof Map) &&
    !(v instanceof Set) &&
    !ArrayBuffer.isView(v) &&
    !(v instanceof Date) &&
    !(v instanceof RegExp) &&
    !(v instanceof Error)
  );
}

/** A structured-cloneable copy: class instances as plain objects, functions as a marker. */
export function toPlainData(value: unknown): unknown {
  const memo = new Map<object, unknown>();
  const copy = (v: unknown): unknown => {
    if (typeof v === 'function') return { [FN]: true };
    if (v === null || typeof v !== 'object') return v;
    if (ArrayBuffer.isView(v) || v instanceof Date || v instanceof RegExp) return v;
    const seen = memo.get(v);
    if (seen !== undefined) return seen;
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      memo.set(v, out);
      for (const x of v) out.push(copy(x));
      return out;
    }
    if (v instanceof Map) {
      const out = new Map<unknown, unknown>();
      memo.set(v, out);
      for (const [k, x] of v) out.set(k, copy(x));
      return out;
    }
    if (v instanceof Set) {
      const out = new Set<unknown>();
      memo.set(v, out);
      for (const x of v) out.add(copy(x));
      return out;
    }
    const out: Record<string, unknown> = {};
    memo.set(v, out);
    if (isClassInstance(v)) out[CLASS] = (v.constructor as { name?: string } | undefined)?.name ?? '?';
    for (const k of Object.keys(v)) out[k] = copy((v as Record<string, unknown>)[k]);
    return out;
  };
  return copy(value);
}

/** Constructor name -> prototype, for every class instance in a graph. */
function collectClasses(v: unknown, into: Map<string, object>, seen = new Set<object>()): void {
  if (v === null || typeof v !== 'object' || ArrayBuffer.isView(v) || seen.has(v)) return;
  seen.add(v);
  if (isClassInstance(v)) {
    const proto = Object.getPrototypeOf(v) as object;
    into.set((v.constructor as { name?: string }).name ?? '?', proto);
  }
  if (Array.isArray(v)) for (const x of v) collectClasses(x, into, seen);
  else if (v instanceof Map) for (const x of v.values()) collectClasses(x, into, seen);
  else for (const x of Object.values(v)) collectClasses(x, into, seen);
}

/** Give tagged objects in a graph their prototypes back (in place). */
function restoreClasses(v: unknown, classes: Map<string, object>, seen = new Set<object>()): void {
  if (v === null || typeof v !== 'object' || ArrayBuffer.isView(v) || seen.has(v)) return;
  seen.add(v);
  if (Array.isArray(v)) {
    for (const x of v) restoreClasses(x, classes, seen);
    return;
  }
  if (v instanceof Map) {
    for (const x of v.values()) restoreClasses(x, classes, seen);
    return;
  }
  const o = v as Record<string, unknown>;
  const name = o[CLASS];
  if (typeof name === 'string') {
    const proto = classes.get(name);
    if (!proto) throw new Error(`cli/transfer.ts: cannot rebuild a ${name} instance in the main thread`);
    delete o[CLASS];
    Object.setPrototypeOf(o, proto);
  }
  for (const x of Object.values(o)) restoreClasses(x, classes, seen);
}

function holdsFunction(v: unknown, seen = new Set<object>()): boolean {
  if (v === null || typeof v !== 'object' || ArrayBuffer.isView(v) || seen.has(v)) return false;
  seen.add(v);
  if (FN in v) return true;
  if (Array.isArray(v)) return v.some((x) => holdsFunction(x, seen));
  if (v instanceof Map) {
    for (const x of v.values()) if (holdsFunction(x, seen)) return true;
    return false;
  }
  return Object.values(v).some((x) => holdsFunction(x, seen));
}

/** Every Uint8Array in a cloned graph as a Buffer over the same memory (in place). */
export function reviveBuffers<T>(value: T): T {
  const seen = new Set<object>();
  const fix = (v: unknown): unknown => {
    if (v === null || typeof v !== 'object') return v;
    if (v instanceof Uint8Array) return Buffer.isBuffer(v) ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength);
    if (ArrayBuffer.isView(v) || seen.has(v)) return v;
    seen.add(v);
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) v[i] = fix(v[i]);
    } else if (v instanceof Map) {
      for (const [k, x] of v) v.set(k, fix(x));
    } else if (!(v instanceof Set)) {
      const o = v as Record<string, unknown>;
      for (const k of Object.keys(o)) o[k] = fix(o[k]);
    }
    return v;
  };
  return fix(value) as T;
}

/**
 * Pour cloned data into a freshly constructed instance: fields holding functions keep the
 * constructor's value, nested class instances are filled the same way, the rest is taken.
 */
function assignInto(fresh: Record<string, unknown>, data: Record<string, unknown>, classes: Map<string, object>): void {
  for (const k of Object.keys(data)) {
    if (k === CLASS) continue;
    const d = data[k];
    if (holdsFunction(d)) continue;
    const f = fresh[k];
    if (isClassInstance(f) && d !== null && typeof d === 'object' && isPlainObject(d)) assignInto(f, d as Record<string, unknown>, classes);
    else {
      restoreClasses(d, classes);
      fresh[k] = d;
    }
  }
}

type Data = Record<string, unknown>;

/**
 * The fields of a DumpAnalysis that hold class instances, and how to construct each afresh
 * from its data and the analysis' profile. analysisData refuses an analysis with any other
 * class instance: a new one must be added here.
 */
const REVIVERS: Record<string, (d: Data, profile: ServerProfile) => object> = {
  aggregate: (d) => new DumpAggregate(d.options as AggregateOptions),
  stats: (d, p) => new StatsCollector(p, d.useHints !== false),
  doctor: (d, p) => new DoctorCollector(p, d.options as Partial<DoctorOptions>),
};

/** An RdbError as data postMessage can carry. */
export function errorData(e: RdbError | null): ErrorData | null {
  return e ? { code: e.code, reason: e.reason, file: e.file, offset: e.offset, key: e.key, rdbType: e.rdbType, keysRead: e.keysRead } : null;
}

/** The RdbError back from its data. */
export function reviveError(e: ErrorData | null): RdbError | null {
  return e
    ? new RdbError(e.code, e.reason, {
        offset: e.offset,
        ...(e.file !== undefined ? { file: e.file } : {}),
        ...(e.key !== undefined ? { key: Buffer.from(e.key) } : {}),
        ...(e.rdbType !== undefined ? { rdbType: e.rdbType } : {}),
        ...(e.keysRead !== undefined ? { keysRead: e.keysRead } : {}),
      })
    : null;
}

/** The analysis as data postMessage can carry. */
export function analysisData(a: DumpAnalysis): AnalysisData {
  for (const [k, v] of Object.entries(a)) {
    if (k !== 'error' && isClassInstance(v) && !(k in REVIVERS)) {
      throw new Error(`cli/transfer.ts: DumpAnalysis.${k} is a ${v.constructor?.name ?? 'class'} instance: add a reviver for it`);
    }
  }
  const data = toPlainData({ ...a, error: null }) as Record<string, unknown>;
  data.error = errorData(a.error);
  data.__analysisData = true;
  return data as unknown as AnalysisData;
}

/** The analysis as analyzeDump returned it, from what a worker posted. */
export function reviveAnalysis(posted: AnalysisData): DumpAnalysis {
  const data = reviveBuffers(posted) as unknown as Record<string, unknown>;
  delete data.__analysisData;
  const profile = data.profile as ServerProfile;
  const revived: Data = {};
  const classes = new Map<string, object>();
  for (const [k, make] of Object.entries(REVIVERS)) {
    const d = data[k] as Data | null | undefined;
    if (d === undefined || d === null) continue;
    const fresh = make(d, profile) as Data;
    collectClasses(fresh, classes);
    revived[k] = fresh;
  }
  for (const [k, fresh] of Object.entries(revived)) assignInto(fresh as Data, data[k] as Data, classes);
  const error = reviveError(data.error as ErrorData | null);
  return { ...data, ...revived, error } as unknown as DumpAnalysis;
}

/**
 * Moving a file's analysis from a worker thread to the main thread. A DumpAnalysis is plain
 * data (src/memory/analyze.ts): postMessage clones it as it is. Two things structured clone
 * does not keep are handled here:
 *
 * - the RdbError (an Error subclass arrives as a plain Error): sent as its fields, built again;
 * - Buffers arrive as Uint8Arrays: reviveBuffers makes each a Buffer over the same memory.
 *
 * test/cli/transfer.test.ts checks that the revived analysis equals the original.
 */
import type { DumpAnalysis } from '../src/memory/analyze.js';
import { RdbError, type RdbErrorCode } from '../src/rdb/index.js';

export interface ErrorData {
  code: RdbErrorCode;
  reason: string;
  file: string | undefined;
  offset: number;
  key: Uint8Array | undefined;
  rdbType: number | undefined;
  keysRead: number | undefined;
}

/** The analysis as postMessage carries it: the same data, its error as fields. */
export type AnalysisData = Omit<DumpAnalysis, 'error'> & { error: ErrorData | null };

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

/** The analysis as data postMessage can carry (nothing is copied but the error). */
export function analysisData(a: DumpAnalysis): AnalysisData {
  return { ...a, error: errorData(a.error) };
}

/** The analysis as analyzeDump returned it, from what a worker posted (revived in place). */
export function reviveAnalysis(posted: AnalysisData): DumpAnalysis {
  const data = reviveBuffers(posted);
  return { ...data, error: reviveError(data.error) };
}

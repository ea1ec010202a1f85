/**
 * Messages between the main thread (cli/analysis.ts) and the analysis workers (cli/worker.ts).
 */
import type { JobRequest } from './job.js';
import type { AnalysisData, ErrorData } from './transfer.js';
import type { KeyPass } from '../src/memory/sizer.js';

/** A KeyPass as data (its RdbError as fields). */
export type KeyPassData = Omit<KeyPass, 'error'> & { error: ErrorData | null };

/** flow[FLOW_INFLIGHT]: CSV bytes posted and not yet written; flow[FLOW_ABORT]: 1 to stop */
export const FLOW_INFLIGHT = 0;
export const FLOW_ABORT = 1;
/** bytes of CSV a worker may have in flight before it waits */
export const FLOW_LIMIT = 8 * 1024 * 1024;

export type ToWorker = { t: 'job'; req: JobRequest };

/** An unexpected error, as data. */
export interface FailData {
  name: string;
  message: string;
  stack: string | undefined;
  code: string | undefined;
  syscall: string | undefined;
  path: string | undefined;
}

export type FromWorker =
  | { t: 'progress'; file: number; bytes: number; keys: number }
  | { t: 'csv'; file: number; data: Uint8Array }
  | { t: 'done'; file: number; analysis: AnalysisData | null; pass: KeyPassData | null; largest: unknown[] | null }
  | { t: 'fail'; file: number; error: FailData };

export function failData(err: unknown): FailData {
  const e = err instanceof Error ? err : new Error(String(err));
  const x = e as NodeJS.ErrnoException;
  return { name: e.name, message: e.message, stack: e.stack, code: x.code, syscall: x.syscall, path: x.path };
}

/** Messages between the main thread (engine.ts) and the scripting worker (worker.ts). */

/** Int32 slots of the shared control array. */
export const CTL_TO_WORKER = 0; // 1: a message waits for the worker
export const CTL_TO_MAIN = 1; // 1: a message waits for the main thread
export const CTL_KILL = 2; // 1: SCRIPT KILL / FUNCTION KILL asked
export const CTL_SLOTS = 4;

export type ToWorker =
  | { op: 'eval'; sha: string; code: Uint8Array; keys: Uint8Array[]; args: Uint8Array[]; clientResp: 2 | 3; compileOnly?: boolean }
  | { op: 'function_load'; code: Uint8Array; timeoutMs: number }
  | { op: 'function_call'; ref: number; name: string; keys: Uint8Array[]; args: Uint8Array[]; clientResp: 2 | 3 }
  | { op: 'function_release'; refs: number[] }
  | { op: 'reset'; which: 'eval' | 'functions' }
  | { op: 'memory' }
  | { op: 'reply'; reply: Uint8Array }
  | { op: 'exit' };

export interface LoadedFunction {
  name: string;
  description: string | null;
  flags: string[];
  ref: number;
}

export type ToMain =
  | { op: 'call'; argv: Uint8Array[]; resp: 2 | 3 }
  | { op: 'log'; level: number; message: Uint8Array }
  | { op: 'set_repl'; flags: number }
  | { op: 'done'; reply: Uint8Array; compiledBytes?: number }
  | { op: 'compile_error'; message: string }
  | { op: 'loaded'; functions: LoadedFunction[]; bytes: number }
  | { op: 'memory'; eval: number; functions: number }
  | { op: 'fatal'; message: string };

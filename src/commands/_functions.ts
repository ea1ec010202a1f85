/** FUNCTION LOAD / RESTORE's library creation (functionsCreateWithLibraryCtx, functions.c 7.0) */
import type { Context } from './context.js';
import { ReplyError } from './errors.js';
import { LOAD_TIMEOUT_MS, type FunctionLibraries, type LibraryInfo } from '../scripting/index.js';

/** Create a library from its code (Scripting.createLibrary): the library, or Redis's error text. */
export function createLibrary(c: Context, code: Buffer, replace: boolean, into: FunctionLibraries, timeoutMs: number): LibraryInfo | string {
  return c.instance.scripting.createLibrary(code, replace, into, timeoutMs);
}

export function loadTimeout(c: Context): number {
  return c.caller === 'primary' ? 0 : LOAD_TIMEOUT_MS;
}

export function fail(msg: string): never {
  throw new ReplyError(`ERR ${msg.replace(/[\r\n]+/g, ' ')}`);
}

/** FUNCTION LOAD / RESTORE's library creation (functionsCreateWithLibraryCtx, functions.c 7.0) */
import type { Context } from './context.js';
import { ReplyError } from './errors.js';
import { extractLibMetadata, verifyName, LOAD_TIMEOUT_MS, type FunctionLibraries, type LibraryInfo } from '../scripting/index.js';

/**
 * Create a library from its code into `into` (the current libraries, or a scratch set for
 * RESTORE): the library, or Redis's error text. `replace` drops a library of the same name.
 */
export function createLibrary(c: Context, code: Buffer, replace: boolean, into: FunctionLibraries, timeoutMs: number): LibraryInfo | string {
  const scripting = c.instance.scripting;
  const md = extractLibMetadata(code);
  if ('error' in md) return md.error;
  if (!verifyName(md.name)) return 'Library names can only contain letters, numbers, or underscores(_) and must be at least one character long';
  if (md.engine.toLowerCase() !== 'lua') return `Engine '${md.engine}' not found`;
  const old = into.libraries.get(md.name);
  if (old && !replace) return `Library '${md.name}' already exists`;
  if (old) into.unlink(old);
  const loaded = scripting.engine.loadLibrary(md.body, timeoutMs);
  if (typeof loaded === 'string') {
    if (old) into.link(old);
    return loaded;
  }
  const li = into.makeLibrary(md, Buffer.from(code), loaded.functions);
  const clash = into.collision(li);
  if (clash !== null) {
    scripting.engine.releaseFunctions(loaded.functions.map((f) => f.ref));
    if (old) into.link(old);
    return `Function ${clash} already exists`;
  }
  into.link(li);
  if (old) scripting.engine.releaseFunctions([...old.functions.values()].map((f) => f.ref));
  if (into === scripting.libraries) scripting.noteLibraryBytes(li.name, loaded.bytes);
  return li;
}

export function loadTimeout(c: Context): number {
  return c.caller === 'primary' ? 0 : LOAD_TIMEOUT_MS;
}

export function fail(msg: string): never {
  throw new ReplyError(`ERR ${msg.replace(/[\r\n]+/g, ' ')}`);
}

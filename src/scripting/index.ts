/**
 * Scripting of one instance: the engine (the Lua VMs in their worker), the EVAL script cache
 * and the function libraries, and the memory figures INFO memory and MEMORY STATS show for them.
 */
import type { Features } from '../memory/sizes.js';
import { ScriptEngine, type RunningScript } from './engine.js';
import { ScriptCache } from './scripts.js';
import { FunctionLibraries, extractLibMetadata, verifyName, type LibraryInfo } from './functions.js';
import { LUA_BASE_BYTES } from './lua-memory.js';

export { ScriptEngine, ScriptError, type CallHost, type Outcome, type RunningScript } from './engine.js';
export * from './scripts.js';
export * from './functions.js';

/** FUNCTION LOAD's time limit (LOAD_TIMEOUT_MS, functions.h) */
export const LOAD_TIMEOUT_MS = 500;

export interface ScriptingMemory {
  /** used_memory_vm_eval (and used_memory_lua) */
  vmEval: number;
  /** used_memory_scripts_eval, MEMORY STATS lua.caches */
  scriptsEval: number;
  /** number_of_cached_scripts */
  cachedScripts: number;
  /** used_memory_vm_functions */
  vmFunctions: number;
  /** used_memory_functions, MEMORY STATS functions.caches */
  functions: number;
  numberOfFunctions: number;
  numberOfLibraries: number;
}

export class Scripting {
  readonly engine: ScriptEngine;
  readonly scripts: ScriptCache;
  readonly libraries: FunctionLibraries;
  /** the modelled Lua heap of the functions VM: its base and what loaded libraries hold */
  private functionsVmBytes = LUA_BASE_BYTES + 1024;
  private libraryBytes = new Map<string, number>();
  /** server.pre_command_oom_state: over maxmemory when the current client command started (set by dispatch) */
  preCommandOomState = false;

  constructor(features: Features, now?: () => number) {
    this.engine = new ScriptEngine({ now });
    this.scripts = new ScriptCache(features);
    this.libraries = new FunctionLibraries(features);
  }

  /** the script running past busy-reply-threshold (others get BUSY), if any */
  get busy(): RunningScript | null {
    const r = this.engine.running;
    return r !== null && r.timedOut ? r : null;
  }

  /** a library's modelled heap, once loaded */
  noteLibraryBytes(name: string, bytes: number): void {
    this.libraryBytes.set(name, bytes);
  }

  forgetLibrary(name: string): void {
    this.libraryBytes.delete(name);
  }

  forgetLibraries(): void {
    this.libraryBytes.clear();
  }

  memory(): ScriptingMemory {
    let libs = 0;
    for (const b of this.libraryBytes.values()) libs += b;
    return {
      vmEval: kb(LUA_BASE_BYTES + this.engine.compiledEvalBytes),
      scriptsEval: this.scripts.scriptsMemory(),
      cachedScripts: this.scripts.size,
      vmFunctions: kb(this.functionsVmBytes + libs),
      functions: this.libraries.memoryOverhead(),
      numberOfFunctions: this.libraries.functions.size,
      numberOfLibraries: this.libraries.libraries.size,
    };
  }

  /**
   * functionsCreateWithLibraryCtx (functions.c): create a library from its code into `into`
   * (the current libraries, or a scratch set for FUNCTION RESTORE); `replace` drops a library of
   * the same name. The library, or Redis's error text.
   */
  createLibrary(code: Buffer, replace: boolean, into: FunctionLibraries, timeoutMs: number): LibraryInfo | string {
    const md = extractLibMetadata(code);
    if ('error' in md) return md.error;
    if (!verifyName(md.name)) return 'Library names can only contain letters, numbers, or underscores(_) and must be at least one character long';
    if (md.engine.toLowerCase() !== 'lua') return `Engine '${md.engine}' not found`;
    const old = into.libraries.get(md.name);
    if (old && !replace) return `Library '${md.name}' already exists`;
    if (old) into.unlink(old);
    const loaded = this.engine.loadLibrary(md.body, timeoutMs);
    if (typeof loaded === 'string') {
      if (old) into.link(old);
      return loaded;
    }
    const li = into.makeLibrary(md, Buffer.from(code), loaded.functions);
    const clash = into.collision(li);
    if (clash !== null) {
      this.engine.releaseFunctions(loaded.functions.map((f) => f.ref));
      if (old) into.link(old);
      return `Function ${clash} already exists`;
    }
    into.link(li);
    if (old) this.engine.releaseFunctions([...old.functions.values()].map((f) => f.ref));
    if (into === this.libraries) this.noteLibraryBytes(li.name, loaded.bytes);
    return li;
  }

  /**
   * The function libraries of loaded dumps (rdbFunctionLoad at startup, no time limit); a library
   * Redis would refuse is reported through `log` and left out.
   */
  loadDumpLibraries(codes: readonly Uint8Array[], log: (line: string) => void): void {
    for (const code of codes) {
      const r = this.createLibrary(Buffer.from(code), false, this.libraries, 0);
      if (typeof r === 'string') log(`function library in the dump not loaded: ${r}`);
    }
  }

  /** Every library dropped (FUNCTION FLUSH's work), then these loaded: a replica's full sync. */
  replaceLibraries(codes: readonly Uint8Array[], log: (line: string) => void): void {
    if (this.libraries.libraries.size > 0) {
      this.libraries.clear();
      this.forgetLibraries();
      this.engine.reset('functions');
    }
    this.loadDumpLibraries(codes, log);
  }

  async close(): Promise<void> {
    await this.engine.close();
  }
}

/** lua_gc(LUA_GCCOUNT) * 1024: whole kilobytes */
function kb(bytes: number): number {
  return Math.floor(bytes / 1024) * 1024;
}

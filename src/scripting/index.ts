/**
 * Scripting of one instance: the engine (the Lua VMs in their worker), the EVAL script cache
 * and the function libraries, and the memory figures INFO memory and MEMORY STATS show for them.
 */
import type { Features } from '../memory/sizes.js';
import { ScriptEngine, type RunningScript } from './engine.js';
import { ScriptCache } from './scripts.js';
import { FunctionLibraries } from './functions.js';
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

  async close(): Promise<void> {
    await this.engine.close();
  }
}

/** lua_gc(LUA_GCCOUNT) * 1024: whole kilobytes */
function kb(bytes: number): number {
  return Math.floor(bytes / 1024) * 1024;
}

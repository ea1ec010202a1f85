/**
 * The EVAL script cache (lctx.lua_scripts, eval.c): sha → body and shebang flags, with the memory
 * Redis counts for it (lua_scripts_mem, evalScriptsMemory), and the shebang parser
 * (evalExtractShebangFlags).
 */
import type { Features } from '../memory/sizes.js';
import { sdsHdrSize } from '../memory/sds.js';
import { sha1hex } from './sha1.js';
import { Dict } from '../memory/dict.js';

/** Script flags (script.h SCRIPT_FLAG_*) */
export const SCRIPT_FLAG_NO_WRITES = 1 << 0;
export const SCRIPT_FLAG_ALLOW_OOM = 1 << 1;
export const SCRIPT_FLAG_ALLOW_STALE = 1 << 2;
export const SCRIPT_FLAG_NO_CLUSTER = 1 << 3;
export const SCRIPT_FLAG_EVAL_COMPAT_MODE = 1 << 4;
export const SCRIPT_FLAG_ALLOW_CROSS_SLOT = 1 << 5;

/** scripts_flags_def (script.c) */
export const SCRIPT_FLAGS: readonly [string, number][] = [
  ['no-writes', SCRIPT_FLAG_NO_WRITES],
  ['allow-oom', SCRIPT_FLAG_ALLOW_OOM],
  ['allow-stale', SCRIPT_FLAG_ALLOW_STALE],
  ['no-cluster', SCRIPT_FLAG_NO_CLUSTER],
  ['allow-cross-slot-keys', SCRIPT_FLAG_ALLOW_CROSS_SLOT],
];

export interface CachedScript {
  body: Buffer;
  flags: number;
  /** what lua_scripts_mem counts for it */
  memory: number;
}

/** sdssplitargs for a shebang line: words separated by spaces, quotes as Redis reads them. */
export function splitArgs(line: string): string[] | null {
  const out: string[] = [];
  let i = 0;
  const n = line.length;
  for (;;) {
    while (i < n && /\s/.test(line[i]!)) i++;
    if (i >= n) return out;
    let cur = '';
    let inq = false;
    let insq = false;
    for (;;) {
      const c = line[i];
      if (inq) {
        if (c === undefined) return null;
        if (c === '\\' && line[i + 1] === 'x' && /^[0-9a-fA-F]{2}$/.test(line.slice(i + 2, i + 4))) {
          cur += String.fromCharCode(parseInt(line.slice(i + 2, i + 4), 16));
          i += 3;
        } else if (c === '\\' && i + 1 < n) {
          i++;
          const e = line[i]!;
          cur += e === 'n' ? '\n' : e === 'r' ? '\r' : e === 't' ? '\t' : e === 'b' ? '\b' : e === 'a' ? '\x07' : e;
        } else if (c === '"') {
          if (i + 1 < n && !/\s/.test(line[i + 1]!)) return null;
          inq = false;
          i++;
          break;
        } else cur += c;
      } else if (insq) {
        if (c === undefined) return null;
        if (c === '\\' && line[i + 1] === "'") {
          i++;
          cur += "'";
        } else if (c === "'") {
          if (i + 1 < n && !/\s/.test(line[i + 1]!)) return null;
          insq = false;
          i++;
          break;
        } else cur += c;
      } else if (c === undefined || /\s/.test(c)) {
        break;
      } else if (c === '"') inq = true;
      else if (c === "'") insq = true;
      else cur += c;
      i++;
    }
    out.push(cur);
  }
}

/**
 * evalExtractShebangFlags: the flags of a script (EVAL_COMPAT_MODE when it has no shebang) and
 * the length of its shebang line, or Redis's error text.
 */
export function extractShebangFlags(body: Buffer): { flags: number; shebangLength: number } | { error: string } {
  let flags = SCRIPT_FLAG_EVAL_COMPAT_MODE;
  if (body.length < 2 || body[0] !== 0x23 || body[1] !== 0x21) return { flags, shebangLength: 0 };
  const end = body.indexOf(0x0a);
  if (end < 0) return { error: 'Invalid script shebang' };
  const parts = splitArgs(body.latin1Slice(0, end));
  if (!parts || parts.length === 0) return { error: 'Invalid engine in script shebang' };
  if (parts[0] !== '#!lua') return { error: `Unexpected engine in script shebang: ${parts[0]}` };
  flags &= ~SCRIPT_FLAG_EVAL_COMPAT_MODE;
  for (const part of parts.slice(1)) {
    if (part.startsWith('flags=')) {
      const list = part.slice(6);
      // sdssplitlen of "" gives no elements
      for (const name of list.length === 0 ? [] : list.split(',')) {
        const def = SCRIPT_FLAGS.find(([n]) => n === name);
        if (!def) return { error: `Unexpected flag in script shebang: ${name}` };
        flags |= def[1];
      }
    } else {
      return { error: `Unknown lua shebang option: ${part}` };
    }
  }
  return { flags, shebangLength: end };
}

/** sizeof(dictEntry), sizeof(luaScript), a dict slot */
const DICT_ENTRY = 24;
const LUA_SCRIPT = 16;
const POINTER = 8;
const ROBJ = 16;
const OBJ_ENCODING_EMBSTR_SIZE_LIMIT = 44;
const PROTO_MBULK_BIG_ARG = 32 * 1024;

/**
 * getStringObjectSdsUsedMemory of a command argument of `len` bytes as the query parser made it
 * (createStringObject: embstr up to 44 bytes, else a raw sds of exactly len; 32 KB and more:
 * the query buffer itself, sized here as an exact sds).
 */
export function argumentSdsMemory(len: number, f: Features): number {
  if (len <= OBJ_ENCODING_EMBSTR_SIZE_LIMIT && len < PROTO_MBULK_BIG_ARG) {
    return f.malloc(ROBJ + 3 + len + 1) - ROBJ;
  }
  return f.malloc(sdsHdrSize(len, f.sdsTypeFitsHeader) + len + 1);
}


/**
 * The cache, with the buckets of Redis's dict (lctx.lua_scripts): each lookup here stands for a
 * dictFind of Redis's on the same path (getCommandFlags' for EVAL/EVALSHA, luaCreateFunction's,
 * SCRIPT EXISTS'), each of which runs a rehash step while the dict grows.
 */
export class ScriptCache {
  private scripts = new Map<string, CachedScript>();
  /** lctx.lua_scripts_mem */
  private memory = 0;
  private dict = new Dict();

  constructor(private features: Features) {}

  get size(): number {
    return this.scripts.size;
  }

  /** dictFind */
  get(sha: string): CachedScript | undefined {
    this.dict.find();
    return this.scripts.get(sha);
  }

  /** dictFind */
  has(sha: string): boolean {
    this.dict.find();
    return this.scripts.has(sha);
  }

  /** Add a compiled script (luaCreateFunction's dictAdd and lua_scripts_mem). */
  add(sha: string, body: Buffer, flags: number): CachedScript {
    const existing = this.scripts.get(sha);
    if (existing) return existing;
    const f = this.features;
    const memory = f.malloc(3 + 40 + 1) + argumentSdsMemory(body.length, f);
    const s: CachedScript = { body, flags, memory };
    this.scripts.set(sha, s);
    this.memory += memory;
    this.dict.add();
    return s;
  }

  /** scriptingReset: a new, empty dict */
  flush(): void {
    this.scripts.clear();
    this.memory = 0;
    this.dict = new Dict();
  }

  /** evalScriptsMemory: used_memory_scripts_eval and MEMORY STATS lua.caches */
  scriptsMemory(): number {
    return this.memory + this.scripts.size * (DICT_ENTRY + LUA_SCRIPT) + this.dict.slots * POINTER;
  }

  static sha(body: Uint8Array): string {
    return sha1hex(body);
  }
}

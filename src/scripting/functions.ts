/**
 * Function libraries (functions.c, 7.0.15): the libraries and functions dictionaries of the
 * current functionsLibCtx, the memory Redis counts for them (functionsMemoryOverhead), library
 * metadata (functionExtractLibMetaData), FUNCTION DUMP's payload and FUNCTION RESTORE's reading
 * of one. Running a library's code to register its functions is the engine's (engine.ts);
 * this module is plain data.
 */
import type { Features } from '../memory/sizes.js';
import { sdsHdrSize } from '../memory/sds.js';
import { crc64 } from '../rdb/crc64.js';
import { lzfDecompress } from '../rdb/lzf.js';
import { splitArgs, SCRIPT_FLAGS } from './scripts.js';
import { Dict } from '../memory/dict.js';
import type { LoadedFunction } from './engine.js';

/** RDB_VERSION of 7.0: FUNCTION DUMP payloads carry it, FUNCTION RESTORE refuses newer ones */
export const RDB_VERSION = 10;
const RDB_OPCODE_FUNCTION2 = 245;
const RDB_OPCODE_FUNCTION_PRE_GA = 246;

export interface FunctionInfo {
  name: string;
  description: string | null;
  /** SCRIPT_FLAG_* bits */
  flags: number;
  /** the engine's handle for it (the worker's registry reference) */
  ref: number;
  library: LibraryInfo;
}

export interface LibraryInfo {
  name: string;
  engine: string;
  /** the whole code, shebang line included */
  code: Buffer;
  functions: Map<string, FunctionInfo>;
}

export interface LibraryMetadata {
  name: string;
  engine: string;
  /** the code after the shebang line (its newline kept) */
  body: Buffer;
}

/** functionsVerifyName */
export function verifyName(name: string): boolean {
  return /^[A-Za-z0-9_]+$/.test(name);
}

/** functionExtractLibMetaData: "#!<engine> name=<name>" on the first line */
export function extractLibMetadata(code: Buffer): LibraryMetadata | { error: string } {
  if (code.length < 2 || code[0] !== 0x23 || code[1] !== 0x21) return { error: 'Missing library metadata' };
  const end = code.indexOf(0x0a);
  if (end < 0) return { error: 'Invalid library metadata' };
  const parts = splitArgs(code.latin1Slice(0, end));
  if (!parts || parts.length === 0) return { error: 'Invalid library metadata' };
  const engine = parts[0]!.slice(2);
  let name: string | null = null;
  for (const part of parts.slice(1)) {
    if (part.slice(0, 5).toLowerCase() === 'name=') {
      if (name !== null) return { error: 'Invalid metadata value, name argument was given multiple times' };
      name = part.slice(5);
      continue;
    }
    return { error: `Invalid metadata value given: ${part}` };
  }
  if (name === null) return { error: 'Library name was not given' };
  return { name, engine, body: code.subarray(end) };
}

/** flags names → bits, for functions a library registered */
export function flagBits(names: readonly string[]): number {
  let bits = 0;
  for (const n of names) bits |= SCRIPT_FLAGS.find(([f]) => f === n)?.[1] ?? 0;
  return bits;
}

const DICT_ENTRY = 24;
const POINTER = 8;
const FUNCTIONS_LIB_CTX = 32; // sizeof(functionsLibCtx)
const FUNCTION_LIB_INFO = 32; // sizeof(functionLibInfo)
const FUNCTION_INFO = 40; // sizeof(functionInfo)
const LUA_FUNCTION_CTX = 4; // sizeof(luaFunctionCtx)
const ENGINE_INFO = 24;
const ENGINE = 56;
const LUA_ENGINE_CTX = 8;

export class FunctionLibraries {
  readonly libraries = new Map<string, LibraryInfo>();
  readonly functions = new Map<string, FunctionInfo>();
  /** lib_ctx->cache_memory */
  private cacheMemory = 0;
  /** the buckets of lib_ctx->functions */
  private dict = new Dict();

  constructor(private features: Features) {}

  private sds(len: number): number {
    return this.features.malloc(sdsHdrSize(len, this.features.sdsTypeFitsHeader) + len + 1);
  }

  /** functionMallocSize */
  private functionSize(fi: FunctionInfo): number {
    const m = this.features.malloc;
    return m(FUNCTION_INFO) + this.sds(Buffer.byteLength(fi.name, 'latin1')) + (fi.description !== null ? this.sds(Buffer.byteLength(fi.description, 'latin1')) : 0) + m(LUA_FUNCTION_CTX);
  }

  /** libraryMallocSize */
  private librarySize(li: LibraryInfo): number {
    return this.features.malloc(FUNCTION_LIB_INFO) + this.sds(Buffer.byteLength(li.name, 'latin1')) + this.sds(li.code.length);
  }

  /** A library object for functions the engine registered (not linked yet). */
  makeLibrary(meta: LibraryMetadata, code: Buffer, loaded: LoadedFunction[]): LibraryInfo {
    const li: LibraryInfo = { name: meta.name, engine: meta.engine, code, functions: new Map() };
    for (const f of loaded) {
      li.functions.set(f.name, { name: f.name, description: f.description, flags: flagBits(f.flags), ref: f.ref, library: li });
    }
    return li;
  }

  /** dictFind of a function (fcallGetCommandFlags): its rehash step */
  find(name: string): FunctionInfo | undefined {
    this.dict.find();
    return this.functions.get(name);
  }

  /** A function of another library with one of these names, if any (the collision check). */
  collision(li: LibraryInfo): string | null {
    for (const name of li.functions.keys()) if (this.functions.has(name)) return name;
    return null;
  }

  /** libraryLink */
  link(li: LibraryInfo): void {
    for (const fi of li.functions.values()) {
      this.functions.set(fi.name, fi);
      this.cacheMemory += this.functionSize(fi);
      this.dict.add();
    }
    this.libraries.set(li.name, li);
    this.cacheMemory += this.librarySize(li);
  }

  /** libraryUnlink */
  unlink(li: LibraryInfo): void {
    for (const fi of li.functions.values()) {
      this.functions.delete(fi.name);
      this.cacheMemory -= this.functionSize(fi);
      this.dict.delete();
    }
    this.libraries.delete(li.name);
    this.cacheMemory -= this.librarySize(li);
  }

  /** functionsLibCtxClear: every library gone */
  clear(): LibraryInfo[] {
    const all = [...this.libraries.values()];
    this.libraries.clear();
    this.functions.clear();
    this.cacheMemory = 0;
    this.dict = new Dict();
    return all;
  }

  /** functionsMemoryOverhead: used_memory_functions and MEMORY STATS functions.caches */
  memoryOverhead(): number {
    const m = this.features.malloc;
    // one engine (LUA) in a dict of DICT_HT_INITIAL_SIZE buckets
    const engines = 1 * DICT_ENTRY + 4 * POINTER;
    const functions = this.functions.size * DICT_ENTRY + this.dict.slots * POINTER + FUNCTIONS_LIB_CTX;
    const engineCache = m(ENGINE_INFO) + this.sds(3) + m(ENGINE) + m(LUA_ENGINE_CTX);
    return engines + functions + this.cacheMemory + engineCache;
  }

  /** FUNCTION DUMP: every library as RDB_OPCODE_FUNCTION2 + its code, then RDB version and CRC64 */
  dump(): Buffer {
    const parts: Buffer[] = [];
    for (const li of this.libraries.values()) {
      parts.push(Buffer.from([RDB_OPCODE_FUNCTION2]), rdbLength(li.code.length), li.code);
    }
    return withFooter(Buffer.concat(parts));
  }
}

/** rdbSaveLen */
function rdbLength(n: number): Buffer {
  if (n < 1 << 6) return Buffer.from([n]);
  if (n < 1 << 14) return Buffer.from([0x40 | (n >> 8), n & 0xff]);
  if (n <= 0xffffffff) {
    const b = Buffer.alloc(5);
    b[0] = 0x80;
    b.writeUInt32BE(n, 1);
    return b;
  }
  const b = Buffer.alloc(9);
  b[0] = 0x81;
  b.writeBigUInt64BE(BigInt(n), 1);
  return b;
}

/** The 2-byte RDB version and the CRC64 that close a DUMP payload (createDumpPayload). */
export function withFooter(body: Buffer): Buffer {
  const ver = Buffer.from([RDB_VERSION & 0xff, (RDB_VERSION >> 8) & 0xff]);
  const head = Buffer.concat([body, ver]);
  const crc = Buffer.alloc(8);
  crc.writeBigUInt64LE(crc64(head));
  return Buffer.concat([head, crc]);
}

/** verifyDumpPayload: the payload's RDB version, or null when the version or checksum is wrong */
export function verifyDumpPayload(p: Buffer): number | null {
  if (p.length < 10) return null;
  const ver = p[p.length - 10]! | (p[p.length - 9]! << 8);
  if (ver > RDB_VERSION) return null;
  const crc = p.readBigUInt64LE(p.length - 8);
  if (crc64(p.subarray(0, p.length - 8)) !== crc) return null;
  return ver;
}

/** The library codes in a FUNCTION DUMP payload (already verified), or an error text. */
export function readFunctionsPayload(p: Buffer): Buffer[] | { error: string } {
  const out: Buffer[] = [];
  let pos = 0;
  const end = p.length - 10;
  while (end - pos > 0) {
    const type = p[pos++]!;
    if (type !== RDB_OPCODE_FUNCTION2 && type !== RDB_OPCODE_FUNCTION_PRE_GA) return { error: 'given type is not a function' };
    if (type === RDB_OPCODE_FUNCTION_PRE_GA) return { error: 'Pre-GA function format not supported' };
    const s = readRdbString(p, pos, end);
    if (s === null) return { error: 'failed loading the given functions payload' };
    out.push(s.value);
    pos = s.next;
  }
  return out;
}

/** rdbGenericLoadStringObject over a buffer: plain, integer-encoded or LZF strings */
function readRdbString(p: Buffer, pos: number, end: number): { value: Buffer; next: number } | null {
  if (pos >= end) return null;
  const first = p[pos]!;
  const kind = first >> 6;
  let len: number;
  if (kind === 0) {
    len = first & 0x3f;
    pos += 1;
  } else if (kind === 1) {
    if (pos + 2 > end) return null;
    len = ((first & 0x3f) << 8) | p[pos + 1]!;
    pos += 2;
  } else if (first === 0x80) {
    if (pos + 5 > end) return null;
    len = p.readUInt32BE(pos + 1);
    pos += 5;
  } else if (first === 0x81) {
    if (pos + 9 > end) return null;
    const big = p.readBigUInt64BE(pos + 1);
    if (big > BigInt(end)) return null;
    len = Number(big);
    pos += 9;
  } else if (kind === 3) {
    const enc = first & 0x3f;
    pos += 1;
    if (enc === 0 || enc === 1 || enc === 2) {
      const n = 1 << enc;
      if (pos + n > end) return null;
      const v = enc === 0 ? p.readInt8(pos) : enc === 1 ? p.readInt16LE(pos) : p.readInt32LE(pos);
      return { value: Buffer.from(String(v)), next: pos + n };
    }
    if (enc === 3) {
      const c = readRdbLength(p, pos, end);
      if (c === null) return null;
      const u = readRdbLength(p, c.next, end);
      if (u === null) return null;
      if (u.next + c.value > end) return null;
      const out = Buffer.alloc(u.value);
      const n = lzfDecompress(p, u.next, u.next + c.value, out);
      if (n !== u.value) return null;
      return { value: out, next: u.next + c.value };
    }
    return null;
  } else return null;
  if (pos + len > end) return null;
  return { value: Buffer.from(p.subarray(pos, pos + len)), next: pos + len };
}

function readRdbLength(p: Buffer, pos: number, end: number): { value: number; next: number } | null {
  if (pos >= end) return null;
  const first = p[pos]!;
  const kind = first >> 6;
  if (kind === 0) return { value: first & 0x3f, next: pos + 1 };
  if (kind === 1) return pos + 2 > end ? null : { value: ((first & 0x3f) << 8) | p[pos + 1]!, next: pos + 2 };
  if (first === 0x80) return pos + 5 > end ? null : { value: p.readUInt32BE(pos + 1), next: pos + 5 };
  return null;
}

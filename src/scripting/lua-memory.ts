/**
 * What a compiled chunk costs Redis's Lua 5.1 heap (lua_gc(LUA_GCCOUNT), which INFO shows as
 * used_memory_vm_eval / used_memory_vm_functions), estimated from the prototype fengari compiled.
 * fengari compiles Lua 5.3 bytecode, whose instruction, constant and local counts are close to
 * 5.1's for the same source; the sizes are 5.1's on 64-bit (lobject.h, lfunc.c, lstring.c):
 *   Proto 120 + 4/instruction + 4/line entry + 16/constant + 8/nested proto + 16/local + 8/upvalue name,
 *   LClosure 40 + 8 per upvalue beyond the first, TString 24 + len + 1 per new string,
 *   and the registry entry "f_<sha>" a script is kept under (its string and a hash node).
 * The figure is an estimate: docs/scripting.md gives its measured agreement with redis-server.
 */

/** lua_gc(LUA_GCCOUNT) of a fresh state of Redis 7.0.15 (used_memory_vm_eval 32768 .. 33791) */
export const LUA_BASE_BYTES = 32768 + 512;

const PROTO = 120;
const INSTRUCTION = 4;
const LINEINFO = 4;
const TVALUE = 16;
const POINTER = 8;
const LOCVAR = 16;
const LCLOSURE = 40;
const TSTRING = 24;
const NODE = 40;

interface ProtoLike {
  k: { type: number; value: unknown }[];
  p: ProtoLike[];
  code: unknown[];
  lineinfo: unknown[];
  upvalues: { name: { getstr?: () => Uint8Array } | null }[];
  locvars: { varname: { getstr?: () => Uint8Array } | null }[];
}

function strLen(s: unknown): number {
  const g = s as { getstr?: () => Uint8Array; realstring?: Uint8Array } | null;
  if (!g) return 0;
  if (typeof g.getstr === 'function') return g.getstr().length;
  return 0;
}

const LUA_TSTRING = 4;

function protoBytes(p: ProtoLike, seen: Set<string>): number {
  let n = PROTO + INSTRUCTION * p.code.length + LINEINFO * p.lineinfo.length + TVALUE * p.k.length + POINTER * p.p.length;
  n += LOCVAR * p.locvars.length + POINTER * p.upvalues.length;
  const str = (s: unknown) => {
    const g = s as { getstr?: () => Uint8Array } | null;
    if (!g || typeof g.getstr !== 'function') return;
    const b = g.getstr();
    const key = Buffer.from(b).toString('latin1');
    if (seen.has(key)) return;
    seen.add(key);
    n += TSTRING + b.length + 1;
  };
  for (const k of p.k) if ((k.type & 0x0f) === LUA_TSTRING) str(k.value);
  for (const l of p.locvars) str(l.varname);
  for (const u of p.upvalues) str(u.name);
  for (const c of p.p) n += protoBytes(c, seen) + LCLOSURE;
  return n;
}

/**
 * The heap a newly compiled chunk adds: its prototypes, its closure and the new strings it
 * interns; plus the registry entry when it is kept by name (a script's "f_<sha>").
 */
export function chunkBytes(closure: unknown, registryName: string | null): number {
  const p = (closure as { p?: ProtoLike } | null)?.p;
  if (!p) return 0;
  let n = LCLOSURE + protoBytes(p, new Set()) + strLen(null);
  if (registryName !== null) n += TSTRING + registryName.length + 1 + NODE;
  return n;
}

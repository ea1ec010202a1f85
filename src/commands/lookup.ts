/**
 * Command lookup on the bytes of argv[0], without making a string of them: a small
 * open-addressing table over the ASCII-lowercased names, built from the server's command map.
 * A name found here is the one `commands.get(name) ?? commands.get(name.toLowerCase())` finds;
 * anything else (unknown names, names of other bytes) returns undefined and the caller falls
 * back to the map.
 */
import type { CommandSpec } from './spec.js';

const MAX_LEN = 32;

class ByteTable {
  readonly size: number;
  private readonly mask: number;
  private readonly names: (Uint8Array | undefined)[];
  private readonly specs: (CommandSpec | undefined)[];

  constructor(map: ReadonlyMap<string, CommandSpec>) {
    this.size = map.size;
    const entries: [Uint8Array, CommandSpec][] = [];
    for (const [name, spec] of map) {
      // only lowercase ASCII names: their uppercase forms in the map then find the same spec
      if (name.length === 0 || name.length > MAX_LEN || !/^[a-z0-9_|.-]+$/.test(name)) continue;
      entries.push([Buffer.from(name, 'latin1'), spec]);
    }
    let cap = 16;
    while (cap < entries.length * 4) cap *= 2;
    this.mask = cap - 1;
    this.names = new Array<Uint8Array | undefined>(cap).fill(undefined);
    this.specs = new Array<CommandSpec | undefined>(cap).fill(undefined);
    for (const [name, spec] of entries) {
      let i = hash(name) & this.mask;
      while (this.names[i] !== undefined) i = (i + 1) & this.mask;
      this.names[i] = name;
      this.specs[i] = spec;
    }
  }

  get(b: Uint8Array): CommandSpec | undefined {
    const len = b.length;
    if (len === 0 || len > MAX_LEN) return undefined;
    const names = this.names;
    for (let i = hash(b) & this.mask; ; i = (i + 1) & this.mask) {
      const n = names[i];
      if (n === undefined) return undefined;
      if (n.length !== len) continue;
      let j = 0;
      while (j < len && n[j] === lower(b[j]!)) j++;
      if (j === len) return this.specs[i];
    }
  }
}

function lower(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c | 0x20 : c;
}

/** FNV-1a over the ASCII-lowercased bytes */
function hash(b: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ lower(b[i]!), 0x01000193);
  return h >>> 0;
}

const tables = new WeakMap<ReadonlyMap<string, CommandSpec>, ByteTable>();
let lastMap: ReadonlyMap<string, CommandSpec> | null = null;
let lastTable: ByteTable | null = null;

/** The spec named by `name` (any ASCII case) in `map`, or undefined: then ask the map itself. */
export function findCommand(map: ReadonlyMap<string, CommandSpec>, name: Uint8Array): CommandSpec | undefined {
  let t = lastMap === map ? lastTable! : null;
  if (t === null || t.size !== map.size) {
    t = tables.get(map) ?? null;
    if (t === null || t.size !== map.size) {
      t = new ByteTable(map);
      tables.set(map, t);
    }
    lastMap = map;
    lastTable = t;
  }
  return t.get(name);
}

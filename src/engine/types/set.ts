/**
 * Sets (mirrors t_set.c, 7.0): the set value (intset, listpack from 7.2, or hashtable) and the
 * set writes (SADD, SREM, SPOP, SMOVE, SINTERSTORE, SUNIONSTORE, SDIFFSTORE).
 *
 * Values keep their data and a memory model (src/memory/live) that each operation updates per
 * element; writes take a Database, open or create the key (generic.ts) and refresh its figures.
 * Arguments may be views into a query buffer: anything kept is copied.
 */
import { ENC_HASHTABLE, ENC_INTSET, ENC_LISTPACK, SetMemory } from '../../memory/live/collections.js';
import { intClassOfBytes, lpSizeOf } from '../../memory/live/listpack.js';
import { INT_CLASS, INTSET_WIDTH } from '../../rdb/facts.js';
import type { Database } from '../database.js';
import { bytesOf, commit, EngineError, type Env, latin1Key as lat, openForWrite, openOrCreate, WRONGTYPE } from './generic.js';

const ZERO = Buffer.from('0');

export class SetValue {
  readonly type = 'set' as const;
  readonly set = new Set<string>();
  readonly mem: SetMemory;

  constructor(
    private readonly env: Env,
    first?: Uint8Array,
    sizeHint = 1,
  ) {
    this.mem = new SetMemory(env.f);
    // setTypeCreate: an intset for an integer, else (7.2+) a listpack, else a hashtable
    // 7.0 and older decide on the first member alone; 7.2 also on the number being added
    const hint = env.f.listpackSets ? sizeHint : 1;
    if (first && intClassOfBytes(first) !== INT_CLASS.STRING && hint <= env.cfg['set-max-intset-entries']) {
      this.mem.enc = ENC_INTSET;
    } else if (env.f.listpackSets && sizeHint <= env.cfg['set-max-listpack-entries']) {
      this.mem.enc = ENC_LISTPACK;
    } else {
      this.mem.toHashtable([], env.f.listpackSets ? sizeHint : 0);
    }
  }

  get length(): number {
    return this.set.size;
  }

  get encoding(): string {
    return this.mem.encoding;
  }

  get payload(): number {
    return this.mem.payload(this.set.size);
  }

  /** createIntsetObject: the empty set SINTERSTORE, SUNIONSTORE and SDIFFSTORE fill */
  static emptyIntset(env: Env): SetValue {
    const v = new SetValue(env, ZERO, 1);
    if (v.mem.enc !== ENC_INTSET) v.mem.enc = ENC_INTSET;
    return v;
  }

  /** setTypeDup (COPY) */
  clone(): SetValue {
    const v = SetValue.emptyIntset(this.env);
    for (const k of this.set) v.set.add(k);
    const m = this.mem;
    v.mem.intsetWidth = m.intsetWidth;
    v.mem.lpBytes = m.lpBytes;
    if (m.enc === ENC_HASHTABLE) {
      const lengths: number[] = [];
      for (const k of this.set) lengths.push(k.length);
      v.mem.toHashtable(lengths, this.set.size);
    } else v.mem.enc = m.enc;
    return v;
  }

  has(m: Uint8Array): boolean {
    if (this.mem.enc === ENC_HASHTABLE) this.mem.dict!.find();
    return this.set.has(lat(m));
  }

  private toHashtable(expand: number): void {
    const lengths: number[] = [];
    for (const k of this.set) lengths.push(k.length);
    this.mem.toHashtable(lengths, expand);
  }

  /** members as the server lists them: an intset in ascending order, else insertion order */
  members(): string[] {
    const out = [...this.set];
    if (this.mem.enc === ENC_INTSET) out.sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0));
    return out;
  }

  /** setTypeAdd: returns true when added */
  add(member: Uint8Array): boolean {
    const k = lat(member);
    const m = this.mem;
    const cfg = this.env.cfg;
    if (m.enc === ENC_HASHTABLE) {
      // dictAddRaw: one rehash step, then the lookup
      m.dict!.step();
      if (this.set.has(k)) return false;
      this.set.add(k);
      m.htAdd(member.length);
      return true;
    }
    if (this.set.has(k)) return false;
    if (m.enc === ENC_INTSET) {
      const cls = intClassOfBytes(member);
      if (cls !== INT_CLASS.STRING) {
        this.set.add(k);
        const w = INTSET_WIDTH[cls]!;
        if (w > m.intsetWidth) m.intsetWidth = w;
        if (this.set.size > cfg['set-max-intset-entries']) {
          // 7.2+: to a listpack when it fits, else a hashtable; 7.0: a hashtable pre-sized
          this.toHashtable(this.set.size);
        }
        return true;
      }
      // a non-integer member
      if (this.env.f.listpackSets && this.set.size + 1 <= cfg['set-max-listpack-entries'] && member.length <= cfg['set-max-listpack-value']) {
        let bytes = 7;
        for (const s of this.set) bytes += lpSizeOf(bytesOf(s));
        m.lpBytes = bytes;
        m.enc = ENC_LISTPACK;
      } else {
        this.toHashtable(this.set.size);
        this.set.add(k);
        m.htAdd(member.length);
        return true;
      }
    }
    // listpack (7.2+)
    if (this.set.size + 1 > cfg['set-max-listpack-entries'] || member.length > cfg['set-max-listpack-value']) {
      this.toHashtable(this.set.size + 1);
      this.set.add(k);
      m.htAdd(member.length);
      return true;
    }
    this.set.add(k);
    m.lpBytes += lpSizeOf(member);
    return true;
  }

  remove(member: Uint8Array): boolean {
    const k = lat(member);
    const m = this.mem;
    if (m.enc === ENC_HASHTABLE) {
      if (!this.set.has(k)) {
        m.dict!.step();
        return false;
      }
      this.set.delete(k);
      m.htRemove(member.length);
      return true;
    }
    if (!this.set.delete(k)) return false;
    if (m.enc === ENC_LISTPACK) m.lpBytes -= lpSizeOf(member);
    return true;
  }

  /** a random member (SPOP / SRANDMEMBER) */
  random(rand: () => number): string | undefined {
    const n = this.set.size;
    if (n === 0) return undefined;
    let i = Math.floor(rand() * n);
    for (const k of this.set) if (i-- === 0) return k;
    return undefined;
  }
}

// ------------------------------------------------------------------ writes

export function setAdd(db: Database, key: Uint8Array, members: Buffer[], from: number): number {
  const env = db.shared.env;
  const o = openOrCreate(db, key, 'set', () => new SetValue(env, members[from], members.length - from));
  let n = 0;
  for (let i = from; i < members.length; i++) if (o.v.add(members[i]!)) n++;
  commit(db, key, o);
  return n;
}

export function setRemove(db: Database, key: Uint8Array, members: Buffer[], from: number): number {
  const o = openForWrite(db, key, 'set');
  if (!o) return 0;
  let n = 0;
  for (let i = from; i < members.length; i++) if (o.v.remove(members[i]!)) n++;
  db.refresh(o.id);
  return n;
}

/** SPOP [count]: the popped members (null when the key is absent) */
export function setPop(db: Database, key: Uint8Array, count: number, rand: () => number): string[] | null {
  const o = openForWrite(db, key, 'set');
  if (!o) return null;
  const out: string[] = [];
  if (count >= o.v.length) {
    out.push(...o.v.members());
    db.removeId(o.id);
    return out;
  }
  while (out.length < count) {
    const m = o.v.random(rand)!;
    o.v.remove(Buffer.from(m, 'latin1'));
    out.push(m);
  }
  db.refresh(o.id);
  return out;
}

/** SMOVE: 1 when moved */
export function setMove(db: Database, src: Uint8Array, dst: Uint8Array, member: Uint8Array): number {
  const sid = db.find(src);
  if (sid < 0) return 0;
  if (db.typeOf(sid) !== 'set') throw new EngineError(WRONGTYPE);
  const did = db.find(dst);
  if (did >= 0 && db.typeOf(did) !== 'set') throw new EngineError(WRONGTYPE);
  const s = openForWrite(db, src, 'set')!;
  if (sid === did) return s.v.has(member) ? 1 : 0;
  if (!s.v.remove(member)) return 0;
  db.refresh(s.id);
  const env = db.shared.env;
  const d = openOrCreate(db, dst, 'set', () => new SetValue(env, member, 1));
  // smoveCommand: the destination is signalled (WATCH, tracking) only when the member was added
  if (!d.v.add(member) && !d.created) return 1;
  commit(db, dst, d);
  return 1;
}

/** The sets named by keys (null: absent); WRONGTYPE when one is another type. */
function setsOf(db: Database, keys: Uint8Array[]): (SetValue | null)[] {
  return keys.map((k) => {
    const id = db.find(k);
    if (id < 0) return null;
    if (db.typeOf(id) !== 'set') throw new EngineError(WRONGTYPE);
    return db.valueForWrite(id) as SetValue;
  });
}

/** members as setTypeNext walks them (an intset ascending, else insertion order) */
export function walk(s: SetValue): string[] {
  return s.mem.enc === ENC_INTSET ? s.members() : [...s.set];
}

/** store a set op's result (setKey, TTL dropped) or delete the destination; the result size */
function storeSet(db: Database, dst: Uint8Array, out: SetValue): number {
  if (out.length > 0) {
    db.setValue(dst, out);
    return out.length;
  }
  db.delete(dst);
  return 0;
}

/** SINTERSTORE (sinterGenericCommand, 7.0) */
export function setInterStore(db: Database, dst: Uint8Array, keys: Uint8Array[]): number {
  const out = setInterOf(setsOf(db, keys), db.shared.env);
  if (out === null) {
    db.delete(dst);
    return 0;
  }
  return storeSet(db, dst, out);
}

/**
 * The intersection SINTER/SINTERSTORE/SINTERCARD compute (sinterGenericCommand, 7.0): null
 * when a key is missing; else the members of the smallest set, in its order, found in all the
 * others. `limit` > 0 stops at that many (SINTERCARD LIMIT).
 */
export function setInterOf(sets: readonly (SetValue | null)[], env: Env, limit = 0): SetValue | null {
  if (sets.some((s) => s === null)) return null;
  const ss = (sets as SetValue[]).slice().sort((a, b) => a.length - b.length);
  const out = SetValue.emptyIntset(env);
  for (const m of walk(ss[0]!)) {
    const mb = bytesOf(m);
    let j = 1;
    for (; j < ss.length; j++) {
      if (ss[j] === ss[0]) continue;
      if (!ss[j]!.has(mb)) break;
    }
    if (j === ss.length) {
      out.add(mb);
      if (limit > 0 && out.length >= limit) break;
    }
  }
  return out;
}

/** SUNIONSTORE / SDIFFSTORE (sunionDiffGenericCommand, 7.0) */
export function setUnionDiffStore(db: Database, dst: Uint8Array, keys: Uint8Array[], diff: boolean): number {
  return storeSet(db, dst, setUnionDiffOf(setsOf(db, keys), db.shared.env, diff));
}

/** The union or difference SUNION/SDIFF(STORE) compute (sunionDiffGenericCommand, 7.0); null entries are missing keys. */
export function setUnionDiffOf(sets: readonly (SetValue | null)[], env: Env, diff: boolean): SetValue {
  const out = SetValue.emptyIntset(env);
  if (!diff) {
    for (const s of sets) if (s) for (const m of walk(s)) out.add(bytesOf(m));
    return out;
  }
  const first = sets[0];
  if (!first) return out;
  let sameset = false;
  for (let j = 1; j < sets.length; j++) if (sets[j] === first) sameset = true;
  if (sameset) return out;
  let one = 0;
  let two = 0;
  for (const s of sets) {
    if (!s) continue;
    one += first.length;
    two += s.length;
  }
  one = Math.floor(one / 2);
  if (one <= two) {
    const rest = sets.slice(1).sort((a, b) => (b ? b.length : 0) - (a ? a.length : 0));
    for (const m of walk(first)) {
      const mb = bytesOf(m);
      let found = false;
      for (const s of rest) {
        if (!s) continue;
        if (s.has(mb)) {
          found = true;
          break;
        }
      }
      if (!found) out.add(mb);
    }
  } else {
    let card = 0;
    for (let j = 0; j < sets.length; j++) {
      const s = sets[j];
      if (!s) continue;
      for (const m of walk(s)) {
        if (j === 0) {
          if (out.add(bytesOf(m))) card++;
        } else if (out.remove(bytesOf(m))) card--;
      }
      if (card === 0) break;
    }
  }
  return out;
}

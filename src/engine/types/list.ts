/**
 * Lists (mirrors t_list.c, 7.0): the list value (a quicklist of listpack nodes, or a listpack
 * from 7.2) and the list writes (LPUSH/RPUSH, LPOP/RPOP, LTRIM, LREM, LSET, LINSERT, LMOVE).
 *
 * Values keep their data and a memory model (src/memory/live) that each operation updates per
 * element; writes take a Database, open or create the key (generic.ts) and refresh its figures.
 * Arguments may be views into a query buffer: anything kept is copied.
 */
import { LiveQuicklist } from '../../memory/live/quicklist.js';
import { lpSizeOf } from '../../memory/live/listpack.js';
import { Deque } from '../deque.js';
import type { Database } from '../database.js';
import { EngineError, type Env, openForWrite } from './generic.js';

export class ListValue {
  readonly type = 'list' as const;
  items = new Deque<Buffer>();
  readonly mem: LiveQuicklist;

  constructor(private readonly env: Env) {
    this.mem = new LiveQuicklist(env.f, env.cfg['list-max-listpack-size']);
  }

  get length(): number {
    return this.items.length;
  }

  get encoding(): string {
    return this.mem.encoding;
  }

  get payload(): number {
    return this.mem.payload;
  }

  /** LPUSH / RPUSH of several elements (listTypeTryConversionAppend first, 7.2+) */
  push(tail: boolean, elems: Buffer[], from = 0): void {
    if (this.env.f.listpackLists) {
      let sum = 0;
      for (let i = from; i < elems.length; i++) sum += elems[i]!.length;
      this.mem.beforePush(elems.length - from, sum);
    }
    for (let i = from; i < elems.length; i++) {
      const e = elems[i]!;
      this.mem.push(tail, e.length, lpSizeOf(e));
      if (tail) this.items.pushTail(e);
      else this.items.pushHead(e);
    }
  }

  pop(tail: boolean): Buffer | undefined {
    const e = tail ? this.items.popTail() : this.items.popHead();
    if (e !== undefined) this.mem.pop(tail, lpSizeOf(e));
    return e;
  }

  afterShrink(): void {
    this.mem.afterShrink();
  }

  private sizer(arr: Buffer[]): (k: number) => number {
    return (k) => lpSizeOf(arr[k]!);
  }

  /** LREM: remove up to `count` (0: all) elements equal to `elem`, from the tail when `fromTail` */
  removeEqual(elem: Uint8Array, count: number, fromTail: boolean): number {
    const arr = [...this.items];
    const keep: boolean[] = new Array<boolean>(arr.length).fill(true);
    let removed = 0;
    const e = Buffer.from(elem.buffer, elem.byteOffset, elem.length);
    if (!fromTail) {
      let pos = 0;
      for (let i = 0; i < arr.length; i++) {
        if (arr[i]!.equals(e)) {
          this.mem.removeAt(pos, lpSizeOf(arr[i]!));
          keep[i] = false;
          if (++removed === count) break;
        } else pos++;
      }
    } else {
      for (let i = arr.length - 1; i >= 0; i--) {
        if (arr[i]!.equals(e)) {
          // elements before i are all still there
          this.mem.removeAt(i, lpSizeOf(arr[i]!));
          keep[i] = false;
          if (++removed === count) break;
        }
      }
    }
    if (removed > 0) this.items = Deque.from(arr.filter((_, i) => keep[i]));
    return removed;
  }

  /** LINSERT: the element goes before or after position `index` */
  insertAt(index: number, after: boolean, elem: Buffer): void {
    const arr = [...this.items];
    if (this.env.f.listpackLists) this.mem.beforePush(1, elem.length);
    this.mem.insertAt(index, after, elem.length, lpSizeOf(elem), this.sizer(arr));
    arr.splice(after ? index + 1 : index, 0, elem);
    this.items = Deque.from(arr);
  }

  /** LSET */
  setAt(index: number, elem: Buffer): void {
    const arr = [...this.items];
    if (this.env.f.listpackLists) this.mem.beforePush(1, elem.length);
    this.mem.replaceAt(index, lpSizeOf(arr[index]!), elem.length, lpSizeOf(elem), this.sizer(arr));
    arr[index] = elem;
    this.items = Deque.from(arr);
  }

  /** listTypeDup / quicklistDup (COPY) */
  clone(): ListValue {
    const v = new ListValue(this.env);
    v.items = Deque.from([...this.items]);
    v.mem.copyFrom(this.mem);
    return v;
  }

  /** the node model of a loaded value */
  loadNodes(nodes: readonly { entries: number; bytes: number; plain: boolean }[], listpack: boolean): void {
    this.mem.load(nodes, listpack);
  }
}

// ------------------------------------------------------------------ writes

export function listPush(db: Database, key: Uint8Array, elems: Buffer[], from: number, tail: boolean, createIfMissing = true): number {
  const o = openForWrite(db, key, 'list');
  if (!o && !createIfMissing) return 0;
  const copies: Buffer[] = [];
  for (let i = from; i < elems.length; i++) copies.push(Buffer.from(elems[i]!));
  if (o) {
    o.v.push(tail, copies);
    db.refresh(o.id);
    return o.v.length;
  }
  const v = new ListValue(db.shared.env);
  v.push(tail, copies);
  db.setValue(key, v);
  return v.length;
}

/** LPOP / RPOP of up to `count` elements; null when the key is absent */
export function listPop(db: Database, key: Uint8Array, tail: boolean, count: number): Buffer[] | null {
  const o = openForWrite(db, key, 'list');
  if (!o) return null;
  const out: Buffer[] = [];
  while (out.length < count && o.v.length > 0) out.push(o.v.pop(tail)!);
  o.v.afterShrink();
  db.refresh(o.id);
  return out;
}

export function listTrim(db: Database, key: Uint8Array, start: number, end: number): void {
  const o = openForWrite(db, key, 'list');
  if (!o) return;
  const llen = o.v.length;
  if (start < 0) start = llen + start;
  if (end < 0) end = llen + end;
  if (start < 0) start = 0;
  let ltrim: number;
  let rtrim: number;
  if (start > end || start >= llen) {
    ltrim = llen;
    rtrim = 0;
  } else {
    if (end >= llen) end = llen - 1;
    ltrim = start;
    rtrim = llen - end - 1;
  }
  for (let i = 0; i < ltrim; i++) o.v.pop(false);
  for (let i = 0; i < rtrim; i++) o.v.pop(true);
  o.v.afterShrink();
  db.refresh(o.id);
}

/** LREM: how many were removed */
export function listRemove(db: Database, key: Uint8Array, count: number, elem: Uint8Array): number {
  const o = openForWrite(db, key, 'list');
  if (!o) return 0;
  const n = o.v.removeEqual(elem, Math.abs(count), count < 0);
  if (n > 0) {
    o.v.afterShrink();
    db.refresh(o.id);
  }
  return n;
}

/** LSET */
export function listSet(db: Database, key: Uint8Array, index: number, elem: Uint8Array): void {
  const o = openForWrite(db, key, 'list');
  if (!o) throw new EngineError('ERR no such key');
  const n = o.v.length;
  const i = index < 0 ? n + index : index;
  if (i < 0 || i >= n) throw new EngineError('ERR index out of range');
  o.v.setAt(i, Buffer.from(elem));
  o.v.afterShrink();
  db.refresh(o.id);
}

/** LINSERT: the new length, -1 when the pivot is absent, 0 when the key is */
export function listInsert(db: Database, key: Uint8Array, after: boolean, pivot: Uint8Array, elem: Uint8Array): number {
  const o = openForWrite(db, key, 'list');
  if (!o) return 0;
  const p = Buffer.from(pivot.buffer, pivot.byteOffset, pivot.length);
  let at = -1;
  let i = 0;
  for (const e of o.v.items) {
    if (e.equals(p)) {
      at = i;
      break;
    }
    i++;
  }
  if (at < 0) return -1;
  o.v.insertAt(at, after, Buffer.from(elem));
  db.refresh(o.id);
  return o.v.length;
}

/** LMOVE / RPOPLPUSH: the moved element, null when the source is absent */
export function listMove(db: Database, src: Uint8Array, dst: Uint8Array, fromTail: boolean, toTail: boolean): Buffer | null {
  const s = openForWrite(db, src, 'list');
  if (!s || s.v.length === 0) return null;
  const sameKey = Buffer.compare(Buffer.from(src), Buffer.from(dst)) === 0;
  let d: { id: number; v: ListValue } | null = null;
  if (!sameKey) d = openForWrite(db, dst, 'list');
  const e = s.v.pop(fromTail)!;
  if (sameKey) {
    s.v.push(toTail, [e]);
    s.v.afterShrink();
    db.refresh(s.id);
    return e;
  }
  s.v.afterShrink();
  if (d) {
    d.v.push(toTail, [e]);
    db.refresh(d.id);
  } else {
    const v = new ListValue(db.shared.env);
    v.push(toTail, [e]);
    db.setValue(dst, v);
  }
  const sid = db.find(src);
  if (sid >= 0) db.refresh(sid);
  return e;
}

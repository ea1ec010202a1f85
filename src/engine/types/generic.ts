/**
 * The type-independent part of live values and writes (db.c, expire.c, object.c, 7.0): what
 * the containers know of the server (Env), the LiveValue union, opening a key for a write with
 * the WRONGTYPE check, storing a created value, EXPIRE, COPY, MOVE. The types live beside it
 * (string.ts, list.ts, hash.ts, set.ts, zset.ts, stream.ts, as Redis's t_*.c).
 */
import type { ValueType } from '../../rdb/constants.js';
import type { ServerConfig } from '../../memory/profiles.js';
import type { Features } from '../../memory/sizes.js';
import type { Database } from '../database.js';
import type { StringValue } from './string.js';
import type { ListValue } from './list.js';
import type { HashValue } from './hash.js';
import type { SetValue } from './set.js';
import type { ZsetValue } from './zset.js';
import type { StreamValue } from './stream.js';

/** What the containers need to know about the modelled server. */
export interface Env {
  f: Features;
  cfg: ServerConfig;
}

export type LiveValue = StringValue | ListValue | HashValue | SetValue | ZsetValue | StreamValue;

/** A member's bytes as a latin1 string (one character per byte): Map keys in memcmp order. */
export const latin1Key = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.length).latin1Slice(0, b.length);
export const bytesOf = (s: string): Buffer => Buffer.from(s, 'latin1');

/** The value type of a container. */
export function typeOfValue(v: LiveValue): ValueType {
  return v.type;
}

/** A write refused with Redis's error reply text (without the leading '-'). */
export class EngineError extends Error {
  override readonly name = 'EngineError';
}

export const WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';
export const NOT_INTEGER = 'ERR value is not an integer or out of range';
export const OVERFLOW = 'ERR increment or decrement would overflow';

type Kind = LiveValue['type'];
type ValueOf<K extends Kind> = Extract<LiveValue, { type: K }>;

export const INT64_MAX = 9223372036854775807n;
export const INT64_MIN = -9223372036854775808n;

/** An existing key's value for a write (materialised), null when absent; WRONGTYPE otherwise. */
export function openForWrite<K extends Kind>(db: Database, key: Uint8Array, kind: K): { id: number; v: ValueOf<K> } | null {
  const id = db.find(key);
  if (id < 0) return null;
  if (db.typeOf(id) !== kind) throw new EngineError(WRONGTYPE);
  const v = db.valueForWrite(id);
  if (v === null || v.type !== kind) throw new EngineError(WRONGTYPE);
  return { id, v: v as ValueOf<K> };
}

/** The key's value, created empty by `make` when absent. */
export function openOrCreate<K extends Kind>(db: Database, key: Uint8Array, kind: K, make: () => ValueOf<K>): { id: number; v: ValueOf<K>; created: boolean } {
  const id = db.find(key);
  if (id >= 0) {
    if (db.typeOf(id) !== kind) throw new EngineError(WRONGTYPE);
    const v = db.valueForWrite(id);
    if (v === null || v.type !== kind) throw new EngineError(WRONGTYPE);
    return { id, v: v as ValueOf<K>, created: false };
  }
  return { id: -1, v: make(), created: true };
}

/** Store a created value once it holds something (a new key is added only when not empty). */
export function commit(db: Database, key: Uint8Array, o: { id: number; v: LiveValue; created: boolean }): void {
  if (o.created) {
    if (o.v.length > 0 || o.v.type === 'string') db.setValue(key, o.v);
  } else db.refresh(o.id);
}
export const NOT_FLOAT = 'ERR value is not a valid float';
export const LD_NAN = 'ERR increment would produce NaN or Infinity';

// ------------------------------------------------------------------ keys (db.c, expire.c)

/** setExpire / EXPIRE with an absolute time in ms; a time in the past deletes the key. */
export function expireAt(db: Database, id: number, at: number): void {
  if (at <= db.shared.now()) {
    db.removeId(id);
    db.shared.stats.expiredKeys += 0;
    return;
  }
  db.setExpire(id, at);
}

/** dupStringObject / listTypeDup / setTypeDup / zsetDup / hashTypeDup / streamDup */
export function cloneValue(v: LiveValue): LiveValue {
  return v.clone();
}

/** COPY: 1 when copied */
export function copyKey(db: Database, dst: Database, key: Uint8Array, newkey: Uint8Array, replace: boolean): number {
  const id = db.find(key);
  if (id < 0) return 0;
  const v = db.value(id);
  if (v === null) return 0;
  const at = db.ks.expireOf(id);
  if (dst.find(newkey) >= 0 && !replace) return 0;
  const nid = dst.setValue(newkey, v.clone());
  if (at >= 0) dst.setExpire(nid, at);
  return 1;
}

/** MOVE: 1 when moved (the value and its TTL go as they are) */
export function moveKey(db: Database, dst: Database, key: Uint8Array): number {
  const id = db.find(key);
  if (id < 0) return 0;
  if (dst.find(key) >= 0) return 0;
  const v = db.valueForWrite(id);
  if (v === null) return 0;
  const at = db.ks.expireOf(id);
  db.removeId(id);
  const nid = dst.setValue(key, v);
  if (at >= 0) dst.setExpire(nid, at);
  return 1;
}

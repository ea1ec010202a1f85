/**
 * OBJECT REFCOUNT key (objectCommand, object.c 7.0). A string value holding an integer in
 * 0..OBJ_SHARED_INTEGERS-1 is one of the server's shared objects, whose refcount is
 * OBJ_SHARED_REFCOUNT (INT_MAX), unless maxmemory is set under an LRU or LFU policy
 * (tryObjectEncoding / createStringObjectFromLongLongForValue: MAXMEMORY_FLAG_NO_SHARED_INTEGERS);
 * every other value has a refcount of 1. Redis decides when the value is created; the model keeps
 * no per-key flag, so the settings in force now decide. The lookup does not touch the key.
 */
import type { Context } from './context.js';
import { MAXMEMORY_FLAG_NO_SHARED_INTEGERS, policyFlags } from '../memory/evict.js';
import { OBJ_SHARED_INTEGERS } from '../memory/alloc.js';
import { StringValue } from '../engine/types/string.js';

/** OBJ_SHARED_REFCOUNT (server.h) */
const OBJ_SHARED_REFCOUNT = 2147483647;

export function handler(c: Context, argv: Buffer[]): void {
  const id = c.db.find(argv[2]!, true);
  if (id < 0) return c.reply.nullBulk();
  c.reply.int(isSharedInteger(c, id) ? OBJ_SHARED_REFCOUNT : 1);
}

function isSharedInteger(c: Context, id: number): boolean {
  const db = c.db;
  if (db.typeOf(id) !== 'string' || db.ks.encodingOf(id) !== 'int' || db.ks.lengthOf(id) > 4) return false;
  const cfg = c.instance.eviction.config;
  if (cfg.maxmemory !== 0 && (policyFlags(cfg['maxmemory-policy']) & MAXMEMORY_FLAG_NO_SHARED_INTEGERS) !== 0) return false;
  const v = db.value(id);
  if (!(v instanceof StringValue)) return false;
  const s = v.buf.latin1Slice(0, v.buf.length);
  const n = Number(s);
  return /^(0|[1-9][0-9]*)$/.test(s) && n < OBJ_SHARED_INTEGERS;
}

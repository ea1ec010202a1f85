/**
 * HyperLogLog values of the PF* commands (hyperloglog.c, 7.0): the key's string as the sds
 * src/engine/hyperloglog.ts works on (dbUnshareStringValue for an int/embstr value), and the
 * result written back with its sds capacity and allocation, so MEMORY USAGE is Redis's.
 */
import type { Context } from './context.js';
import { assertHll, HLL_SPARSE_MAX_BYTES_DEFAULT, HllSds } from '../engine/hyperloglog.js';
import { StringValue } from '../engine/types/string.js';
import { ReplyError, ERR } from './errors.js';
import { writeTyped } from './_util.js';

/** hll-sparse-max-bytes (the default until CONFIG SET models it) */
export function sparseMaxBytes(c: Context): number {
  const v = (c.db.shared.env.cfg as unknown as Record<string, unknown>)['hll-sparse-max-bytes'];
  return typeof v === 'number' ? v : HLL_SPARSE_MAX_BYTES_DEFAULT;
}

/** the key's value as an unshared HLL sds (lookupKeyWrite + isHLLObjectOrReply + dbUnshareStringValue); null when missing */
export function openHll(c: Context, key: Buffer): { id: number; v: StringValue; h: HllSds } | null {
  const id = c.db.find(key);
  if (id >= 0 && c.db.typeOf(id) !== 'string') throw new ReplyError(ERR.WRONGTYPE);
  const o = writeTyped(c, key, 'string');
  if (o === null) return null;
  assertHll(o.v.buf);
  const f = c.db.shared.env.f;
  const s = o.v.sds;
  const h = s ? HllSds.of(o.v.buf, s.cap, s.alloc, f) : HllSds.unshared(o.v.buf, f);
  // the unshare itself is a change of the object (raw from here on)
  storeHll(o.v, h);
  return { id: o.id, v: o.v, h };
}

/** write the sds back into the string value */
export function storeHll(v: StringValue, h: HllSds): void {
  v.setRawSds(Buffer.from(h.bytes()), h.cap, h.alloc);
}

/** a new key holding this HLL sds */
export function addHll(c: Context, key: Buffer, h: HllSds): number {
  const env = c.db.shared.env;
  return c.db.setValue(key, StringValue.rawWith(Buffer.from(h.bytes()), h.cap, h.alloc, env));
}

/** BITFIELD and BITFIELD_RO (bitfieldGeneric, bitops.c 7.0) */
import type { Context } from './context.js';
import { assertReadonlyAllowed, bitfieldParse, bitfieldRun } from '../engine/bitops.js';
import { StringValue } from '../engine/types/string.js';
import { readTyped, writeTyped } from './_util.js';

export function bitfieldGeneric(c: Context, argv: Buffer[], ro: boolean): void {
  const plan = bitfieldParse(argv.slice(2), c.instance.limits.maxBulkLen, c.caller === 'primary');
  const db = c.db;
  let result: { replies: (bigint | null)[]; changes: number };
  if (plan.readonly) {
    const v = readTyped(c, argv[1]!, 'string');
    result = bitfieldRun(v === null ? null : v.buf, plan, false);
  } else {
    if (ro) assertReadonlyAllowed(plan); // before any lookup, as in Redis
    // lookupStringForBitCommand: create sdsnewlen(byte + 1) or unshare + sdsgrowzero
    const bytes = Number(plan.highestWriteOffset >> 3n) + 1;
    const o = writeTyped(c, argv[1]!, 'string');
    let v: StringValue;
    let grown: boolean;
    let id: number;
    if (o === null) {
      v = StringValue.raw(Buffer.alloc(bytes), db.shared.env);
      id = db.setValue(argv[1]!, v);
      grown = true;
    } else {
      v = o.v;
      id = o.id;
      const before = v.length;
      v.growZero(bytes);
      grown = v.length !== before;
    }
    result = bitfieldRun(v.buf, plan, grown);
    c.instance.dirty += result.changes;
    db.refresh(id);
  }
  const w = c.reply;
  w.array(result.replies.length);
  for (const r of result.replies) {
    if (r === null) w.nullBulk();
    else w.bigint(r);
  }
}

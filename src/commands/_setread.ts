/** SINTER, SUNION, SDIFF, SINTERCARD: the sets named by argv (lookupKeyRead each, WRONGTYPE as met) and the set reply. */
import type { Context } from './context.js';
import type { SetValue } from '../engine/types/set.js';
import { walk } from '../engine/types/set.js';
import { bytesOf } from '../engine/types/generic.js';
import { readTyped } from './_util.js';

export function readSets(c: Context, keys: Buffer[]): (SetValue | null)[] {
  return keys.map((k) => readTyped(c, k, 'set'));
}

/** a set reply (RESP3 `~`), members as setTypeNext walks the result */
export function replySet(c: Context, s: SetValue | null): void {
  if (s === null) return c.reply.set(0);
  const ms = walk(s);
  c.reply.set(ms.length);
  for (const m of ms) c.reply.bulk(bytesOf(m));
}

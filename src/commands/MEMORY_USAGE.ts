/** MEMORY USAGE key [SAMPLES count]: the modelled figure, every element counted (as SAMPLES 0). */
import type { Context } from './context.js';
import { ReplyError, ERR } from './errors.js';
import { argInt, is } from './_util.js';
import { keyOverhead } from '../memory/live/key.js';

export function handler(c: Context, argv: Buffer[]): void {
  for (let i = 3; i < argv.length; i++) {
    if (is(argv[i]!, 'SAMPLES') && i + 1 < argv.length) {
      const n = argInt(argv[++i]!);
      if (n < 0) throw new ReplyError(ERR.SYNTAX);
    } else throw new ReplyError(ERR.SYNTAX);
  }
  const id = c.db.find(argv[2]!);
  if (id < 0) return c.reply.nullBulk();
  const m = keyMemory(c, id);
  if (m < 0) return c.reply.nullBulk();
  c.reply.int(Math.floor(m));
}

/** a key's MEMORY USAGE: the keyspace's running figure (computed now when tracking is off) */
export function keyMemory(c: Context, id: number): number {
  const db = c.db;
  if (!db.shared.tracking && db.isHeld(id)) {
    const v = db.valueForWrite(id)!;
    return keyOverhead(db.ks.keyLengthOf(id), db.shared.env.f) + v.payload;
  }
  return db.ks.memoryOf(id);
}

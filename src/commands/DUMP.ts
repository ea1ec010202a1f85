/** DUMP key (dumpCommand, cluster.c 7.0): the value in RDB 10's payload format (src/engine/dump-payload.ts). */
import type { Context } from './context.js';
import { createDumpPayload } from '../engine/dump-payload.js';
import { lookupRead } from './_util.js';

export function handler(c: Context, argv: Buffer[]): void {
  const id = lookupRead(c, argv[1]!);
  if (id < 0) return c.reply.nullBulk();
  const v = c.db.value(id);
  if (v === null) return c.reply.nullBulk();
  c.reply.bulk(createDumpPayload(v, c.db.shared.env));
}

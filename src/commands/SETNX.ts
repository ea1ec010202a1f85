/** SETNX key value */
import type { Context } from './context.js';
import { setString } from '../engine/types/string.js';
import { argsFromQuery } from './_util.js';

export function handler(c: Context, argv: Buffer[]): void {
  if (c.db.find(argv[1]!) >= 0) return c.reply.int(0);
  setString(c.db, argv[1]!, argv[2]!, false, argsFromQuery(c));
  c.reply.int(1);
}

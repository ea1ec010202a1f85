/** MSET key value [key value ...] */
import type { Context } from './context.js';
import { setString } from '../engine/types/string.js';
import { argsFromQuery } from './_util.js';
import { wrongArgs } from './errors.js';

export function handler(c: Context, argv: Buffer[]): void {
  if (argv.length % 2 === 0) throw wrongArgs('mset');
  const q = argsFromQuery(c);
  for (let i = 1; i < argv.length; i += 2) setString(c.db, argv[i]!, argv[i + 1]!, false, q);
  c.reply.ok();
}

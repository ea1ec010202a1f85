/** ZINCRBY key increment member */
import type { Client } from '../client.js';
import * as apply from '../../engine/apply.js';
import { argDouble } from './_util.js';

export function handler(c: Client, argv: Buffer[]): void {
  const incr = argDouble(argv[2]!);
  const r = apply.zsetAdd(c.db, argv[1]!, [{ score: incr, member: argv[3]! }], apply.ZADD_INCR);
  c.w.double(r.score);
}

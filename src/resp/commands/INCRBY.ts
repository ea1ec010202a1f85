/** INCRBY (incrDecrCommand, t_string.c) */
import type { Client } from '../client.js';
import * as apply from '../../engine/apply.js';
import { argBigInt } from './_util.js';

export function handler(c: Client, argv: Buffer[]): void {
  const delta = argBigInt(argv[2]!);
  const v = apply.incrBy(c.db, argv[1]!, delta);
  if (v >= -9007199254740991n && v <= 9007199254740991n) c.w.int(Number(v));
  else c.w.bigint(v);
}

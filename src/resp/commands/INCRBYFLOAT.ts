/** INCRBYFLOAT key increment (long double arithmetic, as on x86-64; the TTL is kept) */
import type { Client } from '../client.js';
import * as apply from '../../engine/apply.js';

export function handler(c: Client, argv: Buffer[]): void {
  c.w.bulk(apply.incrByFloat(c.db, argv[1]!, argv[2]!));
}

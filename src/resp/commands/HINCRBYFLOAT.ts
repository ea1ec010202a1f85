/** HINCRBYFLOAT key field increment (long double arithmetic, as on x86-64) */
import type { Client } from '../client.js';
import * as apply from '../../engine/apply.js';

export function handler(c: Client, argv: Buffer[]): void {
  c.w.bulk(apply.hashIncrByFloat(c.db, argv[1]!, argv[2]!, argv[3]!));
}

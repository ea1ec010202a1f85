/** SMOVE source destination member: 1 when moved. */
import type { Client } from '../client.js';
import * as apply from '../../engine/apply.js';

export function handler(c: Client, argv: Buffer[]): void {
  c.w.int(apply.setMove(c.db, argv[1]!, argv[2]!, argv[3]!));
}

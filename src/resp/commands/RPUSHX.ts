/** RPUSHX key element [element ...]: the new length, 0 when the key is absent. */
import type { Client } from '../client.js';
import * as apply from '../../engine/apply.js';

export function handler(c: Client, argv: Buffer[]): void {
  c.w.int(apply.listPush(c.db, argv[1]!, argv, 2, true, false));
}

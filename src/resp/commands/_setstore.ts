/** SINTERSTORE, SUNIONSTORE, SDIFFSTORE destination key [key ...] */
import type { Client } from '../client.js';
import * as apply from '../../engine/apply.js';

export function setStoreCommand(c: Client, argv: Buffer[], op: 'inter' | 'union' | 'diff'): void {
  const keys = argv.slice(2);
  if (op === 'inter') c.w.int(apply.setInterStore(c.db, argv[1]!, keys));
  else c.w.int(apply.setUnionDiffStore(c.db, argv[1]!, keys, op === 'diff'));
}

/** SINTERSTORE, SUNIONSTORE, SDIFFSTORE destination key [key ...] */
import type { Context } from './context.js';
import * as apply from '../engine/apply.js';

export function setStoreCommand(c: Context, argv: Buffer[], op: 'inter' | 'union' | 'diff'): void {
  const keys = argv.slice(2);
  if (op === 'inter') c.reply.int(apply.setInterStore(c.db, argv[1]!, keys));
  else c.reply.int(apply.setUnionDiffStore(c.db, argv[1]!, keys, op === 'diff'));
}

/** SINTERSTORE, SUNIONSTORE, SDIFFSTORE destination key [key ...] */
import type { Context } from './context.js';
import { setInterStore, setUnionDiffStore } from '../engine/types/set.js';

export function setStoreCommand(c: Context, argv: Buffer[], op: 'inter' | 'union' | 'diff'): void {
  const keys = argv.slice(2);
  if (op === 'inter') c.reply.int(setInterStore(c.db, argv[1]!, keys));
  else c.reply.int(setUnionDiffStore(c.db, argv[1]!, keys, op === 'diff'));
}

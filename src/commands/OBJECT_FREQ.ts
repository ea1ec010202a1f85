/** OBJECT FREQ key: needs an LFU policy, which is never selected here. */
import type { Context } from './context.js';
import { ReplyError } from './errors.js';

export function handler(c: Context, argv: Buffer[]): void {
  const id = c.db.find(argv[2]!);
  if (id < 0) return c.reply.nullBulk();
  throw new ReplyError(
    'ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
  );
}

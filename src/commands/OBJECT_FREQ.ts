/**
 * OBJECT FREQ key (objectCommand, object.c 7.0): the key's LFU counter decayed to now
 * (LFUDecrAndReturn); only under an LFU policy. The lookup does not touch the key.
 */
import type { Context } from './context.js';
import { ReplyError } from './errors.js';
import { LFUDecrAndReturn, MAXMEMORY_FLAG_LFU, policyFlags } from '../memory/evict.js';

export function handler(c: Context, argv: Buffer[]): void {
  const id = c.db.find(argv[2]!, true);
  if (id < 0) return c.reply.nullBulk();
  const cfg = c.instance.eviction.config;
  if (!(policyFlags(cfg['maxmemory-policy']) & MAXMEMORY_FLAG_LFU)) {
    throw new ReplyError(
      'ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
    );
  }
  c.reply.int(LFUDecrAndReturn(c.db.lruOf(id), c.db.shared.now(), cfg['lfu-decay-time']));
}

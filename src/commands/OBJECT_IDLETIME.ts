/**
 * OBJECT IDLETIME key (objectCommand, object.c 7.0): seconds since the key was last touched, from
 * its lru field (a dump key starts at the dump's idle time, src/memory/evict.ts
 * loadedObjectLru); not tracked under an LFU policy. The lookup does not touch the key.
 */
import type { Context } from './context.js';
import { ReplyError } from './errors.js';
import { MAXMEMORY_FLAG_LFU, objectIdleSeconds, policyFlags } from '../memory/evict.js';

export function handler(c: Context, argv: Buffer[]): void {
  const id = c.db.find(argv[2]!, true);
  if (id < 0) return c.reply.nullBulk();
  const cfg = c.instance.eviction.config;
  if (policyFlags(cfg['maxmemory-policy']) & MAXMEMORY_FLAG_LFU) {
    throw new ReplyError(
      'ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
    );
  }
  c.reply.int(objectIdleSeconds(c.db.lruOf(id), c.db.shared.now()));
}

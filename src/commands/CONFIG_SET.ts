/**
 * CONFIG SET parameter value [parameter value ...] (configSetCommand, config.c 7.0): the
 * eviction settings (maxmemory, maxmemory-policy, maxmemory-samples,
 * maxmemory-eviction-tenacity, lfu-log-factor, lfu-decay-time). Every pair is checked before any
 * is applied, as 7.0 does; a smaller maxmemory evicts at once (updateMaxmemory).
 */
import type { Context } from './context.js';
import { ReplyError } from './errors.js';
import { EvictionConfigError, isEvictionConfigName, parseEvictionSetting } from '../memory/evict.js';

export function handler(c: Context, argv: Buffer[]): void {
  if (argv.length % 2 !== 0) throw new ReplyError("ERR wrong number of arguments for 'config|set' command");
  const pairs: [string, string][] = [];
  const seen = new Set<string>();
  for (let i = 2; i < argv.length; i += 2) {
    const name = argv[i]!.toString('latin1').toLowerCase();
    const value = argv[i + 1]!.toString('latin1');
    if (!isEvictionConfigName(name)) throw new ReplyError(`ERR Unknown option or number of arguments for CONFIG SET - '${argv[i]!.toString('latin1')}'`);
    if (seen.has(name)) throw new ReplyError(`ERR CONFIG SET failed (possibly related to argument '${name}') - duplicate parameter`);
    seen.add(name);
    try {
      parseEvictionSetting(name, value);
    } catch (e) {
      if (e instanceof EvictionConfigError) throw new ReplyError(`ERR CONFIG SET failed (possibly related to argument '${name}') - ${e.message}`);
      throw e;
    }
    pairs.push([name, value]);
  }
  const ev = c.instance.eviction;
  const before = ev.config.maxmemory;
  for (const [name, value] of pairs) ev.set(name, value);
  const after = ev.config.maxmemory;
  if (after && after < before) {
    const used = c.instance.usedMemory();
    if (after < used) c.instance.log(`WARNING: the new maxmemory value set via CONFIG SET (${after}) is smaller than the current memory usage (${used}). This will result in key eviction and/or the inability to accept new write commands depending on the maxmemory-policy.`);
  }
  // updateMaxmemory: evict now
  if (after && (!before || after < before)) c.instance.performEvictions();
  c.reply.ok();
}

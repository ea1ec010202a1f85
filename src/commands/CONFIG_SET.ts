/**
 * CONFIG SET parameter value [parameter value ...] (configSetCommand, config.c 7.0: all or
 * nothing). Every 7.0.15 parameter is checked and applied by the instance's settings; the
 * eviction ones (maxmemory, maxmemory-policy, maxmemory-samples, maxmemory-eviction-tenacity,
 * lfu-log-factor, lfu-decay-time) also reach the eviction engine; setting maxmemory starts the
 * eviction time proc (updateMaxmemory), which evicts after this command.
 */
import type { Context } from './context.js';
import { ReplyError, ERR } from './errors.js';
import { ConfigSetError } from '../instance/settings.js';
import { EvictionConfigError, isEvictionConfigName, parseEvictionSetting } from '../memory/evict.js';

export function handler(c: Context, argv: Buffer[]): void {
  if (argv.length % 2 !== 0) throw new ReplyError(ERR.SYNTAX);
  const pairs: [string, string][] = [];
  for (let i = 2; i < argv.length; i += 2) pairs.push([argv[i]!.latin1Slice(0, argv[i]!.length), argv[i + 1]!.toString('latin1')]);
  // the eviction engine's own checks first (its messages are 7.0's), so nothing is applied on a refusal
  for (const [name, value] of pairs) {
    const n = name.toLowerCase();
    if (!isEvictionConfigName(n)) continue;
    try {
      parseEvictionSetting(n, value);
    } catch (e) {
      if (e instanceof EvictionConfigError) throw new ReplyError(`ERR CONFIG SET failed (possibly related to argument '${n}') - ${e.message}`);
      throw e;
    }
  }
  try {
    c.instance.settings.setAll(pairs);
  } catch (e) {
    if (e instanceof ConfigSetError) throw new ReplyError(e.message);
    throw e;
  }
  for (const [name, value] of pairs) {
    const n = name.toLowerCase();
    // busy-reply-threshold (alias lua-time-limit): when a running script turns others to BUSY
    if (n === 'busy-reply-threshold' || n === 'lua-time-limit') c.instance.scripting.engine.busyReplyThreshold = Number(value);
  }
  const ev = c.instance.eviction;
  for (const [name, value] of pairs) {
    const n = name.toLowerCase();
    if (isEvictionConfigName(n)) ev.set(n, value);
  }
  const after = ev.config.maxmemory;
  const setMax = pairs.some(([name]) => name.toLowerCase() === 'maxmemory');
  if (setMax && after) {
    const used = c.instance.usedMemory() - c.instance.memNotCountedForEvict();
    if (after < used) c.instance.log(`WARNING: the new maxmemory value set via CONFIG SET (${after}) is smaller than the current memory usage (${used}). This will result in key eviction and/or the inability to accept new write commands depending on the maxmemory-policy.`);
  }
  // updateMaxmemory (config.c 7.0): the eviction time proc starts; it evicts after this command
  // (inside MULTI: after the EXEC), not during it
  if (setMax && after) ev.evictor.startEvictionTimeProc();
  c.reply.ok();
}

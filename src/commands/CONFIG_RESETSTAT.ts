/** CONFIG RESETSTAT (resetServerStats, server.c 7.0): the counters INFO stats, commandstats, errorstats report. */
import type { Context } from './context.js';

export function handler(c: Context): void {
  const inst = c.instance;
  const st = inst.stats;
  st.connectionsReceived = 0;
  st.commandsProcessed = 0;
  st.rejectedConnections = 0;
  st.netInput = 0;
  st.netOutput = 0;
  st.reads = 0;
  st.errorReplies = 0;
  st.peakMemory = inst.usedMemory();
  const counts = inst.shared.stats;
  counts.expiredKeys = 0;
  counts.hits = 0;
  counts.misses = 0;
  inst.counters.totalBlockingKeys = 0;
  inst.counters.unexpectedErrors = 0;
  inst.counters.evictedClients = 0;
  // stat_evictedkeys, stat_total_eviction_exceeded_time, stat_last_eviction_exceeded_time
  const ev = inst.eviction.evictor.stats;
  ev.evictedKeys = 0;
  ev.evictedBytes = 0;
  ev.totalEvictionExceededTime = 0;
  ev.lastEvictionExceededTime = 0;
  inst.observe.reset();
  c.reply.ok();
}

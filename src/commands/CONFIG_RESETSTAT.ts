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
  inst.observe.reset();
  c.reply.ok();
}

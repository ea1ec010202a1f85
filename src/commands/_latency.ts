/** LATENCY's replies (latency.c 7.0): samples, the doctor's report, the HISTOGRAM CDF. */
import type { Context } from './context.js';
import type { CommandStat, LatencySeries } from '../instance/observe.js';

/** analyzeLatencyForEvent */
function analyze(ts: LatencySeries): { samples: number; avg: number; mad: number; period: number } {
  const n = ts.samples.length;
  if (n === 0) return { samples: 0, avg: 0, mad: 0, period: 0 };
  let sum = 0;
  let oldest = Infinity;
  for (const s of ts.samples) {
    sum += s.latency;
    oldest = Math.min(oldest, s.time);
  }
  const avg = Math.floor(sum / n);
  let period = Math.floor(Date.now() / 1000) - oldest;
  if (period === 0) period = 1;
  let dev = 0;
  for (const s of ts.samples) dev += Math.abs(s.latency - avg);
  return { samples: n, avg, mad: Math.floor(dev / n), period };
}

/** createLatencyReport, the parts that depend on what we record */
export function latencyReport(c: Context): string {
  const obs = c.instance.observe;
  const set = c.instance.settings;
  if (obs.latency.size === 0 && set.latencyThreshold === 0) {
    return "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it. If we weren't in a deep space mission I'd suggest to take a look at https://redis.io/topics/latency-monitor.\n";
  }
  let report = '';
  let n = 0;
  let advices = 0;
  for (const [event, ts] of obs.latency) {
    n++;
    if (n === 1) report += "Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n";
    const ls = analyze(ts);
    report += `${n}. ${event}: ${ls.samples} latency spikes (average ${ls.avg}ms, mean deviation ${ls.mad}ms, period ${(ls.period / ls.samples).toFixed(2)} sec). Worst all time event ${ts.max}ms.`;
    report += '\n';
    if (event === 'command' || event === 'fast-command') advices++;
  }
  if (n === 0) {
    report += 'Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n';
  } else if (advices > 0) {
    report += '\nI have a few advices for you:\n\n';
    report += '- Check your Slow Log to understand what are the commands you are running which are too slow to execute. Please check https://redis.io/commands/slowlog for more information.\n';
    report += '- Deleting, expiring or evicting (because of maxmemory policy) large objects is a blocking operation. If you have very large objects that are often deleted, expired, or evicted, try to fragment those objects into multiple smaller objects.\n';
  } else {
    report += "\nWhile there are latency events logged, I'm not able to suggest any easy fix. Please use the Redis community to get some help, providing this report in your help request.\n";
  }
  return report;
}

/** fillCommandCDF: name -> {calls, histogram_usec: {upper bound µs: cumulative count}} over log buckets from 1024 ns */
export function replyCommandCDF(c: Context, name: string, s: CommandStat): void {
  const w = c.reply;
  w.bulkStr(name);
  w.map(2);
  w.bulkStr('calls');
  w.int(s.histCount);
  w.bulkStr('histogram_usec');
  const entries = s.hist ? [...s.hist.entries()].sort((a, b) => a[0] - b[0]) : [];
  const out: [number, number][] = [];
  let bound = 1024;
  let acc = 0;
  let prev = 0;
  let i = 0;
  while (i < entries.length) {
    while (i < entries.length && entries[i]![0] < bound) acc += entries[i++]![1];
    if (acc > prev) out.push([Math.floor(bound / 1000), acc]);
    prev = acc;
    bound *= 2;
  }
  w.map(out.length);
  for (const [us, n] of out) {
    w.int(us);
    w.int(n);
  }
}

/** LATENCY LATEST: per event its last sample's time and latency, and the all-time max. */
import type { Context } from './context.js';

export function handler(c: Context): void {
  const w = c.reply;
  const ev = c.instance.observe.latency;
  w.array(ev.size);
  for (const [name, ts] of ev) {
    const last = ts.samples[ts.samples.length - 1];
    w.array(4);
    w.bulkStr(name);
    w.int(last?.time ?? 0);
    w.int(last?.latency ?? 0);
    w.int(ts.max);
  }
}

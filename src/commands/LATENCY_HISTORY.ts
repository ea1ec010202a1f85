/** LATENCY HISTORY event: its [time, latency] samples, oldest first. */
import type { Context } from './context.js';

export function handler(c: Context, argv: Buffer[]): void {
  const ts = c.instance.observe.latency.get(argv[2]!.toString('latin1'));
  const w = c.reply;
  if (!ts) return w.array(0);
  w.array(ts.samples.length);
  for (const s of ts.samples) {
    w.array(2);
    w.int(s.time);
    w.int(s.latency);
  }
}

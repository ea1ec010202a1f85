/** LATENCY RESET [event ...]: how many event series were dropped. */
import type { Context } from './context.js';

export function handler(c: Context, argv: Buffer[]): void {
  const ev = c.instance.observe.latency;
  if (argv.length === 2) {
    const n = ev.size;
    ev.clear();
    return c.reply.int(n);
  }
  let n = 0;
  for (let i = 2; i < argv.length; i++) if (ev.delete(argv[i]!.toString('latin1'))) n++;
  c.reply.int(n);
}

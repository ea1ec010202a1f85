/** LATENCY GRAPH event: refused when there is no sample, as Redis does; a plain listing otherwise. */
import type { Context } from './context.js';
import { ReplyError } from './errors.js';

export function handler(c: Context, argv: Buffer[]): void {
  const name = argv[2]!.toString('latin1');
  const ts = c.instance.observe.latency.get(name);
  if (!ts) throw new ReplyError(`ERR No samples available for event '${name}'`);
  let out = `${name} - high ${ts.max} ms, low ${Math.min(...ts.samples.map((s) => s.latency))} ms (all time high ${ts.max} ms)\n`;
  out += '-'.repeat(80) + '\n';
  for (const s of ts.samples) out += `${s.time} ${s.latency}\n`;
  c.reply.verbatim(out);
}

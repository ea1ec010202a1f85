/**
 * LATENCY HISTOGRAM [command ...] (latencyAllCommandsFillCDF / latencySpecificCommandsFillCDF):
 * a map of command -> {calls, histogram_usec}. Unknown names are skipped; a container names
 * its subcommands that have data.
 */
import type { Context } from './context.js';
import { replyCommandCDF } from './_latency.js';
import { commandNamed } from './registry.js';

export function handler(c: Context, argv: Buffer[]): void {
  const stats = c.instance.observe.commands;
  const picked: string[] = [];
  const add = (name: string): void => {
    const s = stats.get(name);
    if (s && s.histCount > 0 && !picked.includes(name)) picked.push(name);
  };
  if (argv.length === 2) {
    for (const name of stats.keys()) add(name);
  } else {
    for (let i = 2; i < argv.length; i++) {
      const name = argv[i]!.toString('latin1').toLowerCase();
      const bar = name.indexOf('|');
      const top = commandNamed(bar < 0 ? name : name.slice(0, bar));
      if (!top) continue;
      if (bar >= 0) {
        if (top.subcommands?.some((s) => s.name === name)) add(name);
        continue;
      }
      if (stats.get(name)?.histCount) add(name);
      else if (top.subcommands) for (const s of top.subcommands) add(s.name);
    }
  }
  c.reply.map(picked.length);
  for (const name of picked) replyCommandCDF(c, name, stats.get(name)!);
}

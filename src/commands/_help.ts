/** addReplyHelp (networking.c): the header naming the command as typed, the lines, then HELP. */
import type { Context } from './context.js';

export function replyHelp(c: Context, argv0: Buffer, lines: readonly string[]): void {
  const w = c.reply;
  w.array(lines.length + 3);
  w.simple(`${argv0.latin1Slice(0, argv0.length).toUpperCase()} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`);
  for (const l of lines) w.simple(l);
  w.simple('HELP');
  w.simple('    Prints this help.');
}

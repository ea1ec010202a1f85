/** addReplyHelp (networking.c): "<CMD> <subcommand> ...", the lines, then HELP */
import type { Context } from './context.js';

export function replyHelp(c: Context, cmd: string, lines: readonly string[]): void {
  c.reply.array(lines.length + 3);
  c.reply.simple(`${cmd} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`);
  for (const l of lines) c.reply.simple(l);
  c.reply.simple('HELP');
  c.reply.simple('    Prints this help.');
}

/** XINFO HELP */
import type { Context } from './context.js';

const LINES = [
  'XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'STREAM <key>',
  '    Show information about the stream.',
  'HELP',
  '    Prints this help.',
];

export function handler(c: Context): void {
  c.reply.array(LINES.length);
  for (const l of LINES) c.reply.simple(l);
}

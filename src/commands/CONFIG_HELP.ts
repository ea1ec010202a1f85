/** CONFIG HELP */
import type { Context } from './context.js';

const LINES = [
  'CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'GET <pattern>',
  '    Return parameters matching the glob-like <pattern> and their values.',
  'HELP',
  '    Prints this help.',
];

export function handler(c: Context): void {
  c.reply.array(LINES.length);
  for (const l of LINES) c.reply.simple(l);
}

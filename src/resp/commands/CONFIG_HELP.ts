/** CONFIG HELP */
import type { Client } from '../client.js';

const LINES = [
  'CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'GET <pattern>',
  '    Return parameters matching the glob-like <pattern> and their values.',
  'HELP',
  '    Prints this help.',
];

export function handler(c: Client): void {
  c.w.array(LINES.length);
  for (const l of LINES) c.w.simple(l);
}

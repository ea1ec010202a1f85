/** XINFO HELP */
import type { Client } from '../client.js';

const LINES = [
  'XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'STREAM <key>',
  '    Show information about the stream.',
  'HELP',
  '    Prints this help.',
];

export function handler(c: Client): void {
  c.w.array(LINES.length);
  for (const l of LINES) c.w.simple(l);
}

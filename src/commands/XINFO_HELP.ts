/** XINFO HELP (xinfoCommand, t_stream.c 7.0) */
import type { Context } from './context.js';
import { replyHelp } from './_help.js';

const LINES = [
  'CONSUMERS <key> <groupname>',
  '    Show consumers of <groupname>.',
  'GROUPS <key>',
  '    Show the stream consumer groups.',
  'STREAM <key> [FULL [COUNT <count>]',
  '    Show information about the stream.',
];

export function handler(c: Context): void {
  replyHelp(c, 'XINFO', LINES);
}

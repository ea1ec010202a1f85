/** SLOWLOG HELP */
import type { Context } from './context.js';
import { replyHelp } from './_help.js';

export function handler(c: Context, argv: Buffer[]): void {
  replyHelp(c, argv[0]!.latin1Slice(0, argv[0]!.length).toUpperCase(), [
    'GET [<count>]',
    '    Return top <count> entries from the slowlog (default: 10, -1 mean all).',
    '    Entries are made of:',
    '    id, timestamp, time in microseconds, arguments array, client IP and port,',
    '    client name',
    'LEN',
    '    Return the length of the slowlog.',
    'RESET',
    '    Reset the slowlog.',
  ]);
}

/** COMMAND INFO [name ...] */
import type { Client } from '../client.js';
import { writeInfo } from './COMMAND.js';
import { lower } from './_util.js';

export function handler(c: Client, argv: Buffer[]): void {
  if (argv.length === 2) {
    const all = c.server.commandList();
    c.w.array(all.length);
    for (const s of all) writeInfo(c, s);
    return;
  }
  c.w.array(argv.length - 2);
  for (let i = 2; i < argv.length; i++) {
    const s = c.server.commands.get(lower(argv[i]!));
    if (s) writeInfo(c, s);
    else c.w.nullArray();
  }
}

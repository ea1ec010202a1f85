/** COMMAND INFO [name ...] */
import { commandList, commandByFullName } from './registry.js';
import type { Context } from './context.js';
import { writeInfo } from './COMMAND.js';
import { lower } from './_util.js';

export function handler(c: Context, argv: Buffer[]): void {
  if (argv.length === 2) {
    const all = commandList();
    c.reply.array(all.length);
    for (const s of all) writeInfo(c, s);
    return;
  }
  c.reply.array(argv.length - 2);
  for (let i = 2; i < argv.length; i++) {
    const s = commandByFullName(lower(argv[i]!));
    if (s) writeInfo(c, s);
    else c.reply.nullArray();
  }
}
